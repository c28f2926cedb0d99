package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

func companies(ctx context.Context, q Q, d Dialect) ([]pbx.Company, error) {
	var cs []pbx.Company
	err := each(ctx, q, `SELECT id, name, plan, sms FROM companies ORDER BY id`, func(r Rows) error {
		var c pbx.Company
		err := r.Scan(&c.ID, &c.Name, &c.Plan, &c.SMS)
		cs = append(cs, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: listing companies: %w", d.Name(), err)
	}
	return cs, nil
}

// load reads the whole of one company, each object with its version, and
// the device catalogue, one query per table, in q (one snapshot). A
// missing company wraps pbx.ErrNotFound.
func load(ctx context.Context, q Q, d Dialect, company string) (*pbx.State, error) {
	var (
		c   pbx.Company
		gen int64
	)
	err := q.QueryRow(ctx, `SELECT id, name, plan, sms, generation FROM companies WHERE id = $1`, company).Scan(&c.ID, &c.Name, &c.Plan, &c.SMS, &gen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: company %q is not in the store; load it first with `pbxsync init --seed FILE`", pbx.ErrNotFound, company)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: loading company %s: %w", d.Name(), company, err)
	}
	st := pbx.NewState(c)
	st.Generation = gen
	l := loader{ctx: ctx, q: q, company: company}
	for _, step := range []struct {
		what string
		run  func(*pbx.State) error
	}{
		{"sites", l.sites},
		{"device models", l.models},
		{"users", l.users},
		{"numbers", l.numbers},
		{"number members", l.members},
		{"devices", l.devices},
		{"device lines", l.lines},
		{"E911 locations", l.locations},
		{"hunt groups", l.hunts},
		{"hunt group members", l.huntMembers},
		{"auto attendants", l.aas},
	} {
		if err := step.run(st); err != nil {
			return nil, fmt.Errorf("%s: loading the %s of company %s: %w", d.Name(), step.what, company, err)
		}
	}
	return st, nil
}

type loader struct {
	ctx     context.Context
	q       Q
	company string
}

// scanInto scans a row into a new T (fields: where each column goes) and
// hands it to put.
func scanInto[T any](fields func(*T) []any, put func(*T) error) func(Rows) error {
	return func(r Rows) error {
		x := new(T)
		if err := r.Scan(fields(x)...); err != nil {
			return err
		}
		return put(x)
	}
}

func rowsOf[T any](l loader, query string, fields func(*T) []any, put func(*T) error, args ...any) error {
	return each(l.ctx, l.q, query, scanInto(fields, put), args...)
}

func into[K comparable, T any](m map[K]*T, key func(*T) K) func(*T) error {
	return func(x *T) error {
		m[key(x)] = x
		return nil
	}
}

func (l loader) sites(st *pbx.State) error {
	var reserved string
	return rowsOf(l, `SELECT company, code, name, region, ext_len, own_dial_plan, reserved, e911_location FROM sites WHERE company = $1`,
		func(x *pbx.Site) []any {
			return []any{&x.Company, &x.Code, &x.Name, &x.Region, &x.ExtLen, &x.OwnDialPlan, &reserved, &x.E911}
		}, func(x *pbx.Site) (err error) {
			if x.Reserved, err = parseRanges(reserved); err != nil {
				return fmt.Errorf("site %s: %w", x.Code, err)
			}
			st.Sites[x.Code] = x
			return nil
		}, l.company)
}

func (l loader) models(st *pbx.State) error {
	var ouis string
	return rowsOf(l, `SELECT name, vendor, kind, ports, max_lines, ouis FROM device_models`, func(x *pbx.DeviceModel) []any {
		return []any{&x.Name, &x.Vendor, (*string)(&x.Kind), &x.Ports, &x.MaxLines, &ouis}
	}, func(x *pbx.DeviceModel) error {
		x.OUIs, st.Models[x.Name] = splitList(ouis), x
		return nil
	})
}

const userColumns = `user_id, company, site, first_name, last_name, COALESCE(email, ''), COALESCE(extension, ''),
	station_type, voice_enabled, caller_id, status, external_id, COALESCE(deprovisioned_at, ''), version`

func userFields(x *pbx.User) []any {
	return []any{(*string)(&x.ID), &x.Company, &x.Site, &x.FirstName, &x.LastName, &x.Email, (*string)(&x.Extension),
		&x.StationType, &x.VoiceEnabled, &x.CallerID, (*string)(&x.Status), &x.ExternalID, &x.DeprovisionedAt, &x.Version}
}

func userKey(x *pbx.User) pbx.UserID { return x.ID }

func (l loader) users(st *pbx.State) error {
	return rowsOf(l, `SELECT `+userColumns+` FROM users WHERE company = $1`, userFields, into(st.Users, userKey), l.company)
}

const numberColumns = `e164, company, site, label, target_kind, COALESCE(target_user, ''), COALESCE(target_hunt, ''),
	COALESCE(target_aa, ''), routing, saved_routing, holiday_routing, sms, COALESCE(location, ''), version`

func scanNumbers(st *pbx.State) func(Rows) error {
	var kind, user, hunt, aa string
	return scanInto(func(x *pbx.Number) []any {
		return []any{(*string)(&x.E164), &x.Company, &x.Site, &x.Label, &kind, &user, &hunt, &aa,
			(*string)(&x.Routing), (*string)(&x.SavedRouting), (*string)(&x.HolidayRouting), &x.SMS, &x.Location, &x.Version}
	}, func(x *pbx.Number) error {
		x.Target, st.Numbers[x.E164] = TargetOf(kind, user, hunt, aa), x
		return nil
	})
}

func (l loader) numbers(st *pbx.State) error {
	scan := scanNumbers(st)
	if pbx.CompactPoolWanted(l.ctx) {
		scan = scanPooled(st)
	}
	return each(l.ctx, l.q, `SELECT `+numberColumns+` FROM numbers WHERE company = $1`, scan, l.company)
}

// scanPooled is scanNumbers for a state whose free numbers go in its
// compact pool (pbx.WithCompactPool): each row is scanned into one Number
// used again, and only a number the pool does not take is copied into
// st.Numbers.
func scanPooled(st *pbx.State) func(Rows) error {
	var (
		x                    pbx.Number
		kind, user, hunt, aa string
	)
	fields := []any{(*string)(&x.E164), &x.Company, &x.Site, &x.Label, &kind, &user, &hunt, &aa,
		(*string)(&x.Routing), (*string)(&x.SavedRouting), (*string)(&x.HolidayRouting), &x.SMS, &x.Location, &x.Version}
	return func(r Rows) error {
		if err := r.Scan(fields...); err != nil {
			return err
		}
		x.Target = TargetOf(kind, user, hunt, aa)
		if !st.PoolNumber(&x) {
			n := x
			st.Numbers[n.E164] = &n
		}
		return nil
	}
}

func (l loader) members(st *pbx.State) error {
	return rowsOf(l, `SELECT number, user_id, role FROM number_members WHERE company = $1 ORDER BY number, user_id`,
		func(x *pbx.Member) []any { return []any{(*string)(&x.Number), (*string)(&x.User), (*string)(&x.Role)} },
		func(x *pbx.Member) error {
			st.Members = append(st.Members, *x)
			return nil
		}, l.company)
}

const deviceColumns = `mac, company, model, version`

func deviceFields(x *pbx.Device) []any {
	return []any{(*string)(&x.MAC), &x.Company, &x.Model, &x.Version}
}

func deviceKey(x *pbx.Device) pbx.MAC { return x.MAC }

func (l loader) devices(st *pbx.State) error {
	return rowsOf(l, `SELECT `+deviceColumns+` FROM devices WHERE company = $1`, deviceFields, into(st.Devices, deviceKey), l.company)
}

func (l loader) lines(st *pbx.State) error {
	return rowsOf(l, `SELECT mac, port, COALESCE(user_id, ''), COALESCE(number, ''), lines, version FROM device_lines WHERE company = $1`,
		func(x *pbx.DeviceLine) []any {
			return []any{(*string)(&x.MAC), &x.Port, (*string)(&x.User), (*string)(&x.Number), &x.Lines, &x.Version}
		}, into(st.Lines, func(x *pbx.DeviceLine) string { return pbx.LineKey(x.MAC, x.Port) }), l.company)
}

func (l loader) locations(st *pbx.State) error {
	return rowsOf(l, `SELECT id, company, street, city, region, postal, country, version FROM e911_locations WHERE company = $1`,
		func(x *pbx.Location) []any {
			return []any{&x.ID, &x.Company, &x.Street, &x.City, &x.Region, &x.Postal, &x.Country, &x.Version}
		}, into(st.Locations, func(x *pbx.Location) string { return x.ID }), l.company)
}

func (l loader) hunts(st *pbx.State) error {
	return rowsOf(l, `SELECT id, company, name, extension FROM hunt_groups WHERE company = $1`,
		func(x *pbx.HuntGroup) []any { return []any{&x.ID, &x.Company, &x.Name, (*string)(&x.Extension)} },
		into(st.Hunts, func(x *pbx.HuntGroup) string { return x.ID }), l.company)
}

func (l loader) huntMembers(st *pbx.State) error {
	var group string
	return rowsOf(l, `SELECT group_id, user_id, position FROM hunt_group_members WHERE company = $1 ORDER BY group_id, position`,
		func(x *pbx.HuntMember) []any { return []any{&group, (*string)(&x.User), &x.Position} },
		func(x *pbx.HuntMember) error {
			if g := st.Hunts[group]; g != nil {
				g.Members = append(g.Members, *x)
			}
			return nil
		}, l.company)
}

func (l loader) aas(st *pbx.State) error {
	return rowsOf(l, `SELECT id, company, name, extension FROM auto_attendants WHERE company = $1`,
		func(x *pbx.AutoAttendant) []any { return []any{&x.ID, &x.Company, &x.Name, (*string)(&x.Extension)} },
		into(st.AAs, func(x *pbx.AutoAttendant) string { return x.ID }), l.company)
}
