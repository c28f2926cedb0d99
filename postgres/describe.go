package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// stale explains why an update or delete matched no row: the object is gone,
// belongs to another company, or has another version than the plan saw.
func (a *applier) stale(ctx context.Context, t *table, ch *plan.Change, keys []assign) error {
	var (
		version int64
		company string
		err     error
	)
	switch t.Kind {
	case plan.KindLine:
		err = a.q.QueryRow(ctx, `SELECT l.version, d.company FROM device_lines l JOIN devices d ON d.mac = l.mac
			WHERE l.mac = $1 AND l.port = $2`, keys[0].Val, keys[1].Val).Scan(&version, &company)
	case plan.KindLocation:
		err = a.q.QueryRow(ctx, `SELECT version, company FROM e911_locations WHERE id = $1 AND company = $2`,
			keys[0].Val, a.company).Scan(&version, &company)
	default:
		err = a.q.QueryRow(ctx, `SELECT version, company FROM `+t.Name+` WHERE `+keys[0].Col+` = $1`,
			keys[0].Val).Scan(&version, &company)
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if t.Kind == plan.KindNumber {
			return apply.Also(apply.Fail(ch, "%w: it is not in the inventory; numbers are added only by `pbxsync init --seed`",
				pbx.ErrNotFound), pbx.ErrStale)
		}
		return apply.Also(apply.Fail(ch, "%w: it no longer exists (the plan saw version %d); plan again", pbx.ErrNotFound, ch.Version), pbx.ErrStale)
	case err != nil:
		return fmt.Errorf("postgres: %s: %w", apply.ObjectName(ch), err)
	case company != a.company:
		return apply.Fail(ch, "%w: it belongs to company %s, not %s", pbx.ErrConflict, company, a.company)
	}
	return apply.Fail(ch, "%w: it is at version %d but the plan saw version %d; plan again", pbx.ErrStale, version, ch.Version)
}

// lineDevice checks that the device of a new line exists in the plan's company.
func (a *applier) lineDevice(ctx context.Context, ch *plan.Change, mac string) error {
	var company string
	err := a.q.QueryRow(ctx, `SELECT company FROM devices WHERE mac = $1`, mac).Scan(&company)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return apply.Fail(ch, "%w: device %s does not exist; create the device before its lines", pbx.ErrConflict, pbx.MAC(mac))
	case err != nil:
		return fmt.Errorf("postgres: %s: %w", apply.ObjectName(ch), err)
	case company != a.company:
		return apply.Fail(ch, "%w: device %s belongs to company %s", pbx.ErrConflict, pbx.MAC(mac), company)
	}
	return nil
}

// describe turns a broken rule of the schema into a failure of change i in
// domain words, looking up who holds a value that must be unique.
func (a *applier) describe(ctx context.Context, i int, c constraint) error {
	ch := &a.p.Changes[i]
	after := func(f string) string { v, _ := ch.After(f); return v }
	switch c.kind {
	case cUnique:
		switch c.name {
		case "users_extension_key":
			ext, site := after(plan.AttrExtension), after(plan.AttrSite)
			if _, ok := ch.After(plan.AttrExtension); !ok || ch.Action != plan.Create {
				a.current(ctx, ch.Key, &ext, &site)
			}
			var holder string
			err := a.q.QueryRow(ctx, `SELECT user_id FROM users WHERE company = $1 AND extension = $2 AND user_id <> $3
				AND ext_scope = `+extScopeSQL("$1", "$4")+` LIMIT 1`, a.company, ext, ch.Key, site).Scan(&holder)
			if err != nil {
				holder = a.earlier(i, plan.AttrExtension, ext)
			}
			if holder == "" {
				holder = "another user"
			}
			return apply.Fail(ch, "%w: extension %s is already used by %s; choose another extension", pbx.ErrConflict, ext, holder)
		case "users_email_key":
			email := after(plan.AttrEmail)
			var holder, company string
			err := a.q.QueryRow(ctx, `SELECT user_id, company FROM users WHERE lower(email) = lower($1) AND user_id <> $2 LIMIT 1`,
				email, ch.Key).Scan(&holder, &company)
			switch {
			case err == nil && company != a.company:
				return apply.Fail(ch, "%w: e-mail %s is already used by a user of company %s", pbx.ErrConflict, email, company)
			case err == nil:
				return apply.Fail(ch, "%w: e-mail %s is already used by %s", pbx.ErrConflict, email, holder)
			}
			if h := a.earlier(i, plan.AttrEmail, email); h != "" {
				return apply.Fail(ch, "%w: e-mail %s is already used by %s", pbx.ErrConflict, email, h)
			}
			return apply.Fail(ch, "%w: e-mail %s is already used by another user", pbx.ErrConflict, email)
		case "users_pkey", "devices_pkey":
			var company string
			table, col := "users", "user_id"
			if c.name == "devices_pkey" {
				table, col = "devices", "mac"
			}
			if err := a.q.QueryRow(ctx, `SELECT company FROM `+table+` WHERE `+col+` = $1`, ch.Key).Scan(&company); err == nil && company != a.company {
				return apply.Fail(ch, "%w: it exists already in company %s", pbx.ErrConflict, company)
			}
			return apply.Fail(ch, "%w: it exists already; plan again", pbx.ErrConflict)
		case "device_lines_pkey", "e911_locations_pkey", "numbers_pkey":
			return apply.Fail(ch, "%w: it exists already; plan again", pbx.ErrConflict)
		}
		return apply.Fail(ch, "%w: a value that must be unique is taken (%s)", pbx.ErrConflict, c.detail)
	case cForeignKey:
		return a.refError(ch, c.name)
	case cCheck:
		return apply.Fail(ch, "%w: %s", pbx.ErrInvalid, checkWords(c.name, ch))
	}
	return apply.Fail(ch, "%w: a value is missing (%s)", pbx.ErrInvalid, c.detail)
}

// current reads a user's extension and site where the change does not set them.
func (a *applier) current(ctx context.Context, user string, ext, site *string) {
	var e, s string
	if err := a.q.QueryRow(ctx, `SELECT COALESCE(extension, ''), site FROM users WHERE user_id = $1`, user).Scan(&e, &s); err != nil {
		return
	}
	if *ext == "" {
		*ext = e
	}
	if *site == "" {
		*site = s
	}
}

// earlier returns the key of the last change before i that sets field to
// value: a holder created within the same plan.
func (a *applier) earlier(i int, field, value string) string {
	for j := i - 1; j >= 0; j-- {
		if v, ok := a.p.Changes[j].After(field); ok && strings.EqualFold(v, value) {
			return a.p.Changes[j].Key
		}
	}
	return ""
}

// refError says which object a change refers to that does not exist.
func (a *applier) refError(ch *plan.Change, name string) error {
	after := func(f string) string { v, _ := ch.After(f); return v }
	target := func() string { _, k := pbx.Target(after(plan.AttrTarget)).Split(); return k }
	switch name {
	case "users_company_fkey", "devices_company_fkey", "e911_locations_company_fkey", "numbers_company_fkey":
		return apply.Fail(ch, "%w: company %s does not exist; load it first with `pbxsync init --seed FILE`", pbx.ErrConflict, a.company)
	case "numbers_target_user_fkey":
		return apply.Fail(ch, "%w: user %s does not exist; create the user before assigning numbers", pbx.ErrConflict, target())
	case "numbers_target_hunt_fkey":
		return apply.Fail(ch, "%w: hunt group %s does not exist in company %s", pbx.ErrConflict, target(), a.company)
	case "numbers_target_aa_fkey":
		return apply.Fail(ch, "%w: auto attendant %s does not exist in company %s", pbx.ErrConflict, target(), a.company)
	case "numbers_location_fkey":
		return apply.Fail(ch, "%w: E911 location %s does not exist in company %s; give the address so it is created first", pbx.ErrConflict, after(plan.AttrLocation), a.company)
	case "devices_model_fkey":
		return apply.Fail(ch, "%w: device model %s is not in the catalogue; add it to the seed's models", pbx.ErrConflict, after(plan.AttrModel))
	case "device_lines_mac_fkey":
		mac, _, _ := pbx.SplitLineKey(ch.Key)
		return apply.Fail(ch, "%w: device %s does not exist; create the device before its lines", pbx.ErrConflict, pbx.MAC(mac))
	case "device_lines_user_fkey":
		return apply.Fail(ch, "%w: user %s does not exist; create the user before giving them a phone", pbx.ErrConflict, after(plan.AttrUser))
	case "device_lines_number_fkey":
		return apply.Fail(ch, "%w: number %s is not in the inventory", pbx.ErrConflict, after(plan.AttrNumber))
	}
	return apply.Fail(ch, "%w: it refers to an object that does not exist (%s)", pbx.ErrConflict, name)
}

// checkWords explains a broken CHECK rule.
func checkWords(name string, ch *plan.Change) string {
	after := func(f string) string { v, _ := ch.After(f); return v }
	switch name {
	case "users_status_check":
		return fmt.Sprintf("status %q is neither %s nor %s", after(plan.AttrStatus), pbx.StatusActive, pbx.StatusDeprovisioned)
	case "numbers_target_check":
		return fmt.Sprintf("target %q is not user:ID, huntgroup:ID, autoattendant:ID or empty", after(plan.AttrTarget))
	case "device_lines_port_check":
		return "the port must be 1 or more"
	case "device_lines_lines_check":
		return fmt.Sprintf("line appearances %q must be 0 or more", after(plan.AttrLines))
	}
	return "a value breaks the rule " + name
}
