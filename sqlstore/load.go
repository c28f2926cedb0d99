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

// each runs query and calls scan for every row.
func (l loader) each(query string, scan func(Rows) error, args ...any) error {
	return each(l.ctx, l.q, query, scan, args...)
}

func (l loader) sites(st *pbx.State) error {
	return l.each(`SELECT company, code, name, region, ext_len, own_dial_plan, reserved, e911_location FROM sites WHERE company = $1`,
		func(r Rows) error {
			x := &pbx.Site{}
			var reserved string
			if err := r.Scan(&x.Company, &x.Code, &x.Name, &x.Region, &x.ExtLen, &x.OwnDialPlan, &reserved, &x.E911); err != nil {
				return err
			}
			rs, err := parseRanges(reserved)
			if err != nil {
				return fmt.Errorf("site %s: %w", x.Code, err)
			}
			x.Reserved = rs
			st.Sites[x.Code] = x
			return nil
		}, l.company)
}

func (l loader) models(st *pbx.State) error {
	return l.each(`SELECT name, vendor, kind, ports, max_lines, ouis FROM device_models`,
		func(r Rows) error {
			x := &pbx.DeviceModel{}
			var kind, ouis string
			if err := r.Scan(&x.Name, &x.Vendor, &kind, &x.Ports, &x.MaxLines, &ouis); err != nil {
				return err
			}
			x.Kind, x.OUIs = pbx.DeviceKind(kind), splitList(ouis)
			st.Models[x.Name] = x
			return nil
		})
}

// userColumns is the select list of a user, in scanUser's order.
const userColumns = `user_id, company, site, first_name, last_name, COALESCE(email, ''), COALESCE(extension, ''),
	station_type, voice_enabled, caller_id, status, external_id, COALESCE(deprovisioned_at, ''), version`

func scanUser(r Rows) (*pbx.User, error) {
	x := &pbx.User{}
	var id, ext, status string
	err := r.Scan(&id, &x.Company, &x.Site, &x.FirstName, &x.LastName, &x.Email, &ext,
		&x.StationType, &x.VoiceEnabled, &x.CallerID, &status, &x.ExternalID, &x.DeprovisionedAt, &x.Version)
	x.ID, x.Extension, x.Status = pbx.UserID(id), pbx.Extension(ext), pbx.UserStatus(status)
	return x, err
}

func (l loader) users(st *pbx.State) error {
	return l.each(`SELECT `+userColumns+` FROM users WHERE company = $1`, func(r Rows) error {
		x, err := scanUser(r)
		if err == nil {
			st.Users[x.ID] = x
		}
		return err
	}, l.company)
}

// numberColumns is the select list of a number, in scanNumber's order.
const numberColumns = `e164, company, site, label, target_kind, COALESCE(target_user, ''), COALESCE(target_hunt, ''),
	COALESCE(target_aa, ''), routing, saved_routing, holiday_routing, sms, COALESCE(location, ''), version`

func scanNumber(r Rows) (*pbx.Number, error) {
	x := &pbx.Number{}
	var e164, kind, user, hunt, aa, routing, saved, holiday string
	err := r.Scan(&e164, &x.Company, &x.Site, &x.Label, &kind, &user, &hunt, &aa,
		&routing, &saved, &holiday, &x.SMS, &x.Location, &x.Version)
	x.E164, x.Target = pbx.E164(e164), TargetOf(kind, user, hunt, aa)
	x.Routing, x.SavedRouting, x.HolidayRouting = pbx.Routing(routing), pbx.Routing(saved), pbx.Routing(holiday)
	return x, err
}

func (l loader) numbers(st *pbx.State) error {
	return l.each(`SELECT `+numberColumns+` FROM numbers WHERE company = $1`, func(r Rows) error {
		x, err := scanNumber(r)
		if err == nil {
			st.Numbers[x.E164] = x
		}
		return err
	}, l.company)
}

func (l loader) members(st *pbx.State) error {
	return l.each(`SELECT number, user_id, role FROM number_members WHERE company = $1 ORDER BY number, user_id`, func(r Rows) error {
		var number, user, role string
		if err := r.Scan(&number, &user, &role); err != nil {
			return err
		}
		st.Members = append(st.Members, pbx.Member{Number: pbx.E164(number), User: pbx.UserID(user), Role: pbx.MemberRole(role)})
		return nil
	}, l.company)
}

// deviceColumns is the select list of a device, in scanDevice's order.
const deviceColumns = `mac, company, model, version`

func scanDevice(r Rows) (*pbx.Device, error) {
	x := &pbx.Device{}
	var mac string
	err := r.Scan(&mac, &x.Company, &x.Model, &x.Version)
	x.MAC = pbx.MAC(mac)
	return x, err
}

func (l loader) devices(st *pbx.State) error {
	return l.each(`SELECT `+deviceColumns+` FROM devices WHERE company = $1`, func(r Rows) error {
		x, err := scanDevice(r)
		if err == nil {
			st.Devices[x.MAC] = x
		}
		return err
	}, l.company)
}

func (l loader) lines(st *pbx.State) error {
	return l.each(`SELECT mac, port, COALESCE(user_id, ''), COALESCE(number, ''), lines, version
		FROM device_lines WHERE company = $1`, func(r Rows) error {
		x := &pbx.DeviceLine{}
		var mac, user, number string
		if err := r.Scan(&mac, &x.Port, &user, &number, &x.Lines, &x.Version); err != nil {
			return err
		}
		x.MAC, x.User, x.Number = pbx.MAC(mac), pbx.UserID(user), pbx.E164(number)
		st.Lines[pbx.LineKey(x.MAC, x.Port)] = x
		return nil
	}, l.company)
}

func (l loader) locations(st *pbx.State) error {
	return l.each(`SELECT id, company, street, city, region, postal, country, version FROM e911_locations WHERE company = $1`,
		func(r Rows) error {
			x := &pbx.Location{}
			if err := r.Scan(&x.ID, &x.Company, &x.Street, &x.City, &x.Region, &x.Postal, &x.Country, &x.Version); err != nil {
				return err
			}
			st.Locations[x.ID] = x
			return nil
		}, l.company)
}

func (l loader) hunts(st *pbx.State) error {
	return l.each(`SELECT id, company, name, extension FROM hunt_groups WHERE company = $1`, func(r Rows) error {
		x := &pbx.HuntGroup{}
		var ext string
		if err := r.Scan(&x.ID, &x.Company, &x.Name, &ext); err != nil {
			return err
		}
		x.Extension = pbx.Extension(ext)
		st.Hunts[x.ID] = x
		return nil
	}, l.company)
}

// huntMembers gives each hunt group its members, in order of position.
func (l loader) huntMembers(st *pbx.State) error {
	return l.each(`SELECT group_id, user_id, position FROM hunt_group_members WHERE company = $1 ORDER BY group_id, position`,
		func(r Rows) error {
			var group, user string
			var pos int
			if err := r.Scan(&group, &user, &pos); err != nil {
				return err
			}
			if g := st.Hunts[group]; g != nil {
				g.Members = append(g.Members, pbx.HuntMember{User: pbx.UserID(user), Position: pos})
			}
			return nil
		}, l.company)
}

func (l loader) aas(st *pbx.State) error {
	return l.each(`SELECT id, company, name, extension FROM auto_attendants WHERE company = $1`, func(r Rows) error {
		x := &pbx.AutoAttendant{}
		var ext string
		if err := r.Scan(&x.ID, &x.Company, &x.Name, &ext); err != nil {
			return err
		}
		x.Extension = pbx.Extension(ext)
		st.AAs[x.ID] = x
		return nil
	}, l.company)
}
