package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/pbxsync/pbxsync/columns"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Seed loads a company's starting state in one transaction: the company, its
// sites, the device catalogue, E911 locations, hunt groups, auto attendants,
// users, the number inventory, number members, devices and device lines.
// Objects that exist already are updated (and their version raised); nothing
// is deleted. An object whose Company is empty belongs to the seed's company;
// one that exists under another company is an error wrapping pbx.ErrConflict.
// Versions given in the seed are ignored: new rows start at version 1.
func (s *Store) Seed(ctx context.Context, sd *pbx.Seed) error {
	if sd == nil || sd.Company.ID == "" {
		return fmt.Errorf("%w: seed: the company has no id", pbx.ErrInvalid)
	}
	conn, err := s.writer(ctx) // with BusyTimeout
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.lockErr(ctx, err, sd.Company.ID)
	}
	defer tx.Rollback()
	if err := seedTx(ctx, tx, sd); err != nil {
		return err
	}
	// Every company's generation goes up: a seed writes the device
	// catalogue the companies share and the numbers of the inventory,
	// which other companies' rosters may name (number.foreign,
	// number.unknown); only a seed writes those.
	if _, err := tx.ExecContext(ctx, `UPDATE companies SET generation = generation + 1`); err != nil {
		return fmt.Errorf("sqlite: seed: raising the generation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: seed: committing: %w", err)
	}
	return nil
}

// seeder runs one prepared upsert per object and names the object on failure.
type seeder struct {
	ctx context.Context
	tx  *sql.Tx
	co  string
}

// upsert runs stmt for each of n objects; args returns the arguments and the
// object's name. When guard is set, an upsert that changes no row means the
// object belongs to another company.
func (sr *seeder) upsert(stmt string, n int, guard bool, args func(i int) (string, []any, error)) error {
	if n == 0 {
		return nil
	}
	st, err := sr.tx.PrepareContext(sr.ctx, stmt)
	if err != nil {
		return fmt.Errorf("sqlite: seed: %w", err)
	}
	defer st.Close()
	for i := 0; i < n; i++ {
		name, a, err := args(i)
		if err != nil {
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		res, err := st.ExecContext(sr.ctx, a...)
		if err != nil {
			if c := constraintOf(err); c.kind != 0 {
				return fmt.Errorf("%w: seed: %s: breaks %s (%s)", pbx.ErrConflict, name, c.name, c.detail)
			}
			return fmt.Errorf("sqlite: seed: %s: %w", name, err)
		}
		if guard {
			if k, _ := res.RowsAffected(); k == 0 {
				return fmt.Errorf("%w: seed: %s exists already under another company, or names a device, number or user that is not the seed's company's; give it another key or seed that company",
					pbx.ErrConflict, name)
			}
		}
	}
	return nil
}

// company returns the company an object of the seed belongs to.
func (sr *seeder) company(c string) (string, error) {
	if c == "" || c == sr.co {
		return sr.co, nil
	}
	return "", fmt.Errorf("%w: it belongs to company %q, but the seed is for %q", pbx.ErrInvalid, c, sr.co)
}

func seedTx(ctx context.Context, tx *sql.Tx, sd *pbx.Seed) error {
	sr := &seeder{ctx: ctx, tx: tx, co: sd.Company.ID}
	c := sd.Company
	if _, err := tx.ExecContext(ctx, `INSERT INTO companies (id, name, plan, sms) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, plan = excluded.plan, sms = excluded.sms`,
		c.ID, c.Name, c.Plan, c.SMS); err != nil {
		return fmt.Errorf("sqlite: seed: company %s: %w", c.ID, err)
	}
	steps := []func() error{
		func() error {
			return sr.upsert(`INSERT INTO sites (company, code, name, region, ext_len, own_dial_plan, reserved)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
				ON CONFLICT (company, code) DO UPDATE SET name = excluded.name, region = excluded.region,
					ext_len = excluded.ext_len, own_dial_plan = excluded.own_dial_plan, reserved = excluded.reserved`,
				len(sd.Sites), false, func(i int) (string, []any, error) {
					x := sd.Sites[i]
					name := fmt.Sprintf("site %q", x.Code)
					co, err := sr.company(x.Company)
					if err != nil {
						return name, nil, err
					}
					for _, r := range x.Reserved {
						if strings.ContainsAny(r.From+r.To, ",-") {
							return name, nil, fmt.Errorf("%w: reserved range %s-%s holds ',' or '-'", pbx.ErrInvalid, r.From, r.To)
						}
					}
					return name, []any{co, x.Code, x.Name, x.Region, x.ExtLen, x.OwnDialPlan, formatRanges(x.Reserved)}, nil
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO device_models (name, vendor, kind, ports, max_lines, ouis)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6)
				ON CONFLICT (name) DO UPDATE SET vendor = excluded.vendor, kind = excluded.kind,
					ports = excluded.ports, max_lines = excluded.max_lines, ouis = excluded.ouis`,
				len(sd.Models), false, func(i int) (string, []any, error) {
					x := sd.Models[i]
					return fmt.Sprintf("device model %q", x.Name), []any{x.Name, x.Vendor, string(x.Kind), x.Ports, x.MaxLines, joinList(x.OUIs)}, nil
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO e911_locations (company, id, street, city, region, postal, country)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
				ON CONFLICT (company, id) DO UPDATE SET street = excluded.street, city = excluded.city,
					region = excluded.region, postal = excluded.postal, country = excluded.country,
					version = e911_locations.version + 1`,
				len(sd.Locations), false, func(i int) (string, []any, error) {
					x := sd.Locations[i]
					name := fmt.Sprintf("E911 location %q", x.ID)
					co, err := sr.company(x.Company)
					return name, []any{co, x.ID, x.Street, x.City, x.Region, x.Postal, x.Country}, err
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO hunt_groups (company, id, name, extension) VALUES (?1, ?2, ?3, ?4)
				ON CONFLICT (company, id) DO UPDATE SET name = excluded.name, extension = excluded.extension`,
				len(sd.Hunts), false, func(i int) (string, []any, error) {
					x := sd.Hunts[i]
					co, err := sr.company(x.Company)
					return fmt.Sprintf("hunt group %q", x.ID), []any{co, x.ID, x.Name, string(x.Extension)}, err
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO auto_attendants (company, id, name, extension) VALUES (?1, ?2, ?3, ?4)
				ON CONFLICT (company, id) DO UPDATE SET name = excluded.name, extension = excluded.extension`,
				len(sd.AAs), false, func(i int) (string, []any, error) {
					x := sd.AAs[i]
					co, err := sr.company(x.Company)
					return fmt.Sprintf("auto attendant %q", x.ID), []any{co, x.ID, x.Name, string(x.Extension)}, err
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO users (user_id, company, site, first_name, last_name, email, extension, ext_scope,
					station_type, voice_enabled, caller_id, status, external_id)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, `+extScopeSQL("?2", "?3")+`, ?8, ?9, ?10, ?11, ?12)
				ON CONFLICT (user_id) DO UPDATE SET site = excluded.site, first_name = excluded.first_name,
					last_name = excluded.last_name, email = excluded.email, extension = excluded.extension,
					ext_scope = excluded.ext_scope, station_type = excluded.station_type,
					voice_enabled = excluded.voice_enabled, caller_id = excluded.caller_id, status = excluded.status,
					external_id = excluded.external_id, version = users.version + 1
				WHERE users.company = excluded.company`,
				len(sd.Users), true, func(i int) (string, []any, error) {
					x := sd.Users[i]
					name := fmt.Sprintf("user %s", x.ID)
					co, err := sr.company(x.Company)
					status := x.Status
					if status == "" {
						status = pbx.StatusActive
					}
					return name, []any{string(x.ID), co, x.Site, x.FirstName, x.LastName, columns.Nullable(x.Email),
						columns.Nullable(string(x.Extension)), x.StationType, x.VoiceEnabled, x.CallerID, string(status), x.ExternalID}, err
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO numbers (e164, company, site, label, target_kind, target_user, target_hunt, target_aa,
					routing, saved_routing, holiday_routing, sms, location)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
				ON CONFLICT (e164) DO UPDATE SET site = excluded.site, label = excluded.label,
					target_kind = excluded.target_kind, target_user = excluded.target_user,
					target_hunt = excluded.target_hunt, target_aa = excluded.target_aa, routing = excluded.routing,
					saved_routing = excluded.saved_routing, holiday_routing = excluded.holiday_routing,
					sms = excluded.sms, location = excluded.location, version = numbers.version + 1
				WHERE numbers.company = excluded.company`,
				len(sd.Numbers), true, func(i int) (string, []any, error) {
					x := sd.Numbers[i]
					name := fmt.Sprintf("number %s", x.E164)
					co, err := sr.company(x.Company)
					if err != nil {
						return name, nil, err
					}
					tc, err := columns.TargetColumns(x.Target)
					if err != nil {
						return name, nil, fmt.Errorf("%w: %v", pbx.ErrInvalid, err)
					}
					return name, []any{string(x.E164), co, x.Site, x.Label, tc.Kind, tc.User, tc.Hunt, tc.AA,
						string(x.Routing), string(x.SavedRouting), string(x.HolidayRouting), x.SMS, columns.Nullable(x.Location)}, nil
				})
		},
		func() error {
			// written only when its number and user are the seeded company's
			return sr.upsert(`INSERT INTO number_members (number, user_id, role)
				SELECT ?1, ?2, ?3
				WHERE EXISTS (SELECT 1 FROM numbers WHERE e164 = ?1 AND company = ?4)
					AND EXISTS (SELECT 1 FROM users WHERE user_id = ?2 AND company = ?4)
				ON CONFLICT (number, user_id) DO UPDATE SET role = excluded.role`,
				len(sd.Members), true, func(i int) (string, []any, error) {
					x := sd.Members[i]
					return fmt.Sprintf("member %s of number %s", x.User, x.Number), []any{string(x.Number), string(x.User), string(x.Role), sr.co}, nil
				})
		},
		func() error {
			return sr.upsert(`INSERT INTO devices (mac, company, model) VALUES (?1, ?2, ?3)
				ON CONFLICT (mac) DO UPDATE SET model = excluded.model, version = devices.version + 1
				WHERE devices.company = excluded.company`,
				len(sd.Devices), true, func(i int) (string, []any, error) {
					x := sd.Devices[i]
					co, err := sr.company(x.Company)
					return fmt.Sprintf("device %s", x.MAC), []any{string(x.MAC), co, x.Model}, err
				})
		},
		func() error {
			// written only when its device, user and number are the seeded company's
			return sr.upsert(`INSERT INTO device_lines (mac, port, user_id, number, lines)
				SELECT ?1, ?2, ?3, ?4, ?5
				WHERE EXISTS (SELECT 1 FROM devices WHERE mac = ?1 AND company = ?6)
					AND (?3 IS NULL OR EXISTS (SELECT 1 FROM users WHERE user_id = ?3 AND company = ?6))
					AND (?4 IS NULL OR EXISTS (SELECT 1 FROM numbers WHERE e164 = ?4 AND company = ?6))
				ON CONFLICT (mac, port) DO UPDATE SET user_id = excluded.user_id, number = excluded.number,
					lines = excluded.lines, version = device_lines.version + 1`,
				len(sd.Lines), true, func(i int) (string, []any, error) {
					x := sd.Lines[i]
					return fmt.Sprintf("line %s", pbx.LineKey(x.MAC, x.Port)),
						[]any{string(x.MAC), x.Port, columns.Nullable(string(x.User)), columns.Nullable(string(x.Number)), x.Lines, sr.co}, nil
				})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// extScopeSQL is the SQL expression of a user's extension scope: the site
// code when the site (company, site) has its own dial plan, else ”.
func extScopeSQL(company, site string) string {
	return `COALESCE((SELECT CASE WHEN s.own_dial_plan THEN s.code ELSE '' END FROM sites s
		WHERE s.company = ` + company + ` AND s.code = ` + site + `), '')`
}
