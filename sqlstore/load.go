package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// companies lists the companies in the store, by ID.
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
// the whole device catalogue, in q: a read transaction that sees one
// snapshot. A missing company wraps pbx.ErrNotFound.
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

// loader reads one table each, in one read transaction.
type loader struct {
	ctx     context.Context
	q       Q
	company string
}

// rowsOf reads every row of query into a new T, fields saying where each
// column goes, and hands it to put.
func rowsOf[T any](l loader, query string, fields func(*T) []any, put func(*T) error, args ...any) error {
	return each(l.ctx, l.q, query, func(r Rows) error {
		x := new(T)
		if err := r.Scan(fields(x)...); err != nil {
			return err
		}
		return put(x)
	}, args...)
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

// userColumns is the select list of a user, in userFields' order.
const userColumns = `user_id, company, site, first_name, last_name, COALESCE(email, ''), COALESCE(extension, ''),
	station_type, voice_enabled, caller_id, status, external_id, COALESCE(deprovisioned_at, ''), version`

func userFields(x *pbx.User) []any {
	return []any{(*string)(&x.ID), &x.Company, &x.Site, &x.FirstName, &x.LastName, &x.Email, (*string)(&x.Extension),
		&x.StationType, &x.VoiceEnabled, &x.CallerID, (*string)(&x.Status), &x.ExternalID, &x.DeprovisionedAt, &x.Version}
}

func scanUser(r Rows) (*pbx.User, error) {
	x := &pbx.User{}
	return x, r.Scan(userFields(x)...)
}

func (l loader) users(st *pbx.State) error {
	return rowsOf(l, `SELECT `+userColumns+` FROM users WHERE company = $1`, userFields, func(x *pbx.User) error {
		st.Users[x.ID] = x
		return nil
	}, l.company)
}

// numberColumns is the select list of a number, in scanNumber's order.
const numberColumns = `e164, company, site, label, target_kind, COALESCE(target_user, ''), COALESCE(target_hunt, ''),
	COALESCE(target_aa, ''), routing, saved_routing, holiday_routing, sms, COALESCE(location, ''), version`

func scanNumber(r Rows) (*pbx.Number, error) {
	x := &pbx.Number{}
	var kind, user, hunt, aa string
	err := r.Scan((*string)(&x.E164), &x.Company, &x.Site, &x.Label, &kind, &user, &hunt, &aa,
		(*string)(&x.Routing), (*string)(&x.SavedRouting), (*string)(&x.HolidayRouting), &x.SMS, &x.Location, &x.Version)
	x.Target = TargetOf(kind, user, hunt, aa)
	return x, err
}

func (l loader) numbers(st *pbx.State) error {
	return each(l.ctx, l.q, `SELECT `+numberColumns+` FROM numbers WHERE company = $1`, func(r Rows) error {
		x, err := scanNumber(r)
		st.Numbers[x.E164] = x // the load fails whole on an error
		return err
	}, l.company)
}

func (l loader) members(st *pbx.State) error {
	return rowsOf(l, `SELECT number, user_id, role FROM number_members WHERE company = $1 ORDER BY number, user_id`,
		func(x *pbx.Member) []any { return []any{(*string)(&x.Number), (*string)(&x.User), (*string)(&x.Role)} },
		func(x *pbx.Member) error {
			st.Members = append(st.Members, *x)
			return nil
		}, l.company)
}

// deviceColumns is the select list of a device, in deviceFields' order.
const deviceColumns = `mac, company, model, version`

func deviceFields(x *pbx.Device) []any {
	return []any{(*string)(&x.MAC), &x.Company, &x.Model, &x.Version}
}

func scanDevice(r Rows) (*pbx.Device, error) {
	x := &pbx.Device{}
	return x, r.Scan(deviceFields(x)...)
}

func (l loader) devices(st *pbx.State) error {
	return rowsOf(l, `SELECT `+deviceColumns+` FROM devices WHERE company = $1`, deviceFields, func(x *pbx.Device) error {
		st.Devices[x.MAC] = x
		return nil
	}, l.company)
}

func (l loader) lines(st *pbx.State) error {
	return rowsOf(l, `SELECT mac, port, COALESCE(user_id, ''), COALESCE(number, ''), lines, version FROM device_lines WHERE company = $1`,
		func(x *pbx.DeviceLine) []any {
			return []any{(*string)(&x.MAC), &x.Port, (*string)(&x.User), (*string)(&x.Number), &x.Lines, &x.Version}
		}, func(x *pbx.DeviceLine) error {
			st.Lines[pbx.LineKey(x.MAC, x.Port)] = x
			return nil
		}, l.company)
}

func (l loader) locations(st *pbx.State) error {
	return rowsOf(l, `SELECT id, company, street, city, region, postal, country, version FROM e911_locations WHERE company = $1`,
		func(x *pbx.Location) []any {
			return []any{&x.ID, &x.Company, &x.Street, &x.City, &x.Region, &x.Postal, &x.Country, &x.Version}
		}, func(x *pbx.Location) error {
			st.Locations[x.ID] = x
			return nil
		}, l.company)
}

func (l loader) hunts(st *pbx.State) error {
	return rowsOf(l, `SELECT id, company, name, extension FROM hunt_groups WHERE company = $1`,
		func(x *pbx.HuntGroup) []any { return []any{&x.ID, &x.Company, &x.Name, (*string)(&x.Extension)} },
		func(x *pbx.HuntGroup) error {
			st.Hunts[x.ID] = x
			return nil
		}, l.company)
}

// huntMembers gives each hunt group its members, in order of position.
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
		func(x *pbx.AutoAttendant) error {
			st.AAs[x.ID] = x
			return nil
		}, l.company)
}
