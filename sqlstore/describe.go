package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// stale explains why an update or delete matched no row: the object is gone,
// belongs to another company (its claim says so), or has another version
// than the plan saw.
func (a *Applier) stale(ctx context.Context, t *Table, ch *plan.Change, keys []Assign) error {
	var version int64
	var b SQL
	b.WriteString(`SELECT version FROM ` + t.Name + ` WHERE company = ` + b.Arg(a.Company))
	for _, k := range keys {
		b.WriteString(` AND ` + k.Col + ` = ` + b.Arg(k.Val))
	}
	err := a.Q.QueryRow(ctx, b.String(), b.Args...).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if table, col := ClaimOf(t.Kind); table != "" {
			key, _ := keys[0].Val.(string)
			company, err := holder(ctx, a.Q, table, col, key)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
			}
			if company != "" && company != a.Company {
				if t.Kind == plan.KindLine {
					return apply.Fail(ch, "%w: device %s belongs to company %s, not %s", pbx.ErrConflict, pbx.MAC(key), company, a.Company)
				}
				return apply.Fail(ch, "%w: it belongs to company %s, not %s", pbx.ErrConflict, company, a.Company)
			}
		}
		if t.Kind == plan.KindNumber {
			return apply.Also(apply.Fail(ch, "%w: it is not in the inventory; numbers are added only by `pbxsync init --seed`",
				pbx.ErrNotFound), pbx.ErrStale)
		}
		return apply.Also(apply.Fail(ch, "%w: it no longer exists (the plan saw version %d); plan again", pbx.ErrNotFound, ch.Version), pbx.ErrStale)
	case err != nil:
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	return apply.Fail(ch, "%w: it is at version %d but the plan saw version %d; plan again", pbx.ErrStale, version, ch.Version)
}

// lineDevice checks that the device of a new line exists in the plan's company.
func (a *Applier) lineDevice(ctx context.Context, ch *plan.Change, mac string) error {
	var one int
	err := a.Q.QueryRow(ctx, `SELECT 1 FROM devices WHERE company = $1 AND mac = $2`, a.Company, mac).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	company, err := holder(ctx, a.Q, deviceClaims, "mac", mac)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	case company != "" && company != a.Company:
		return apply.Fail(ch, "%w: device %s belongs to company %s", pbx.ErrConflict, pbx.MAC(mac), company)
	}
	return apply.Fail(ch, "%w: device %s does not exist; create the device before its lines", pbx.ErrConflict, pbx.MAC(mac))
}

// describe turns a broken rule of the schema into a failure of change i in
// domain words, looking up who holds a value that must be unique.
func (a *Applier) describe(ctx context.Context, i int, c Constraint) error {
	ch := &a.Plan.Changes[i]
	after := func(f string) string { v, _ := ch.After(f); return v }
	if ch.Kind == plan.KindHuntMember && (c.Kind == CUnique || c.Kind == CForeignKey) {
		if g, u, pos, err := plan.ReadHuntMember(ch); err == nil {
			return a.huntMemberStale(ctx, ch, g, u, pos) // its group or user is not the company's, or its position is taken
		}
	}
	switch c.Kind {
	case CUnique:
		switch c.Name {
		case "users_extension_key":
			ext, site := after(plan.AttrExtension), after(plan.AttrSite)
			if _, ok := ch.After(plan.AttrExtension); !ok || ch.Action != plan.Create {
				a.current(ctx, ch.Key, &ext, &site)
			}
			var holder string
			scope, err := a.extScope(ctx, site)
			if err == nil {
				err = a.Q.QueryRow(ctx, `SELECT user_id FROM users WHERE company = $1 AND extension = $2 AND user_id <> $3
					AND ext_scope = $4 LIMIT 1`, a.Company, ext, ch.Key, scope).Scan(&holder)
			}
			if err != nil {
				holder = a.earlier(i, plan.AttrExtension, ext)
			}
			if holder == "" {
				holder = "another user"
			}
			return apply.Fail(ch, "%w: extension %s is already used by %s; choose another extension", pbx.ErrConflict, ext, holder)
		case "email_claims_pkey":
			email := after(plan.AttrEmail)
			var holder, company string
			err := a.Q.QueryRow(ctx, `SELECT user_id, company FROM email_claims WHERE email = $1`, Email(email)).Scan(&holder, &company)
			switch {
			case err == nil && company != a.Company:
				return apply.Fail(ch, "%w: e-mail %s is already used by a user of company %s", pbx.ErrConflict, email, company)
			case err == nil && holder != ch.Key:
				return apply.Fail(ch, "%w: e-mail %s is already used by %s", pbx.ErrConflict, email, holder)
			}
			if h := a.earlier(i, plan.AttrEmail, email); h != "" {
				return apply.Fail(ch, "%w: e-mail %s is already used by %s", pbx.ErrConflict, email, h)
			}
			return apply.Fail(ch, "%w: e-mail %s is already used by another user", pbx.ErrConflict, email)
		case "users_pkey", "devices_pkey", "numbers_pkey", "login_claims_pkey", "device_claims_pkey", "number_claims_pkey":
			table, col := ClaimOf(ch.Kind)
			if table == "" {
				return apply.Fail(ch, "%w: it exists already; plan again", pbx.ErrConflict)
			}
			key := a.renamedTo(ch)
			if company, err := holder(ctx, a.Q, table, col, key); err == nil && company != "" && company != a.Company {
				return apply.Fail(ch, "%w: it exists already in company %s", pbx.ErrConflict, company)
			}
			return apply.Fail(ch, "%w: it exists already; plan again", pbx.ErrConflict)
		case "device_lines_pkey", "e911_locations_pkey", "number_members_pkey":
			return apply.Fail(ch, "%w: it exists already; plan again", pbx.ErrConflict)
		}
		return apply.Fail(ch, "%w: a value that must be unique is taken (%s)", pbx.ErrConflict, c.Detail)
	case CForeignKey:
		if ch.Kind == plan.KindMember {
			if e, u, role, err := plan.ReadMember(ch); err == nil {
				return a.memberStale(ctx, ch, e, u, role)
			}
		}
		name := c.Name
		if name == "" {
			name = a.missingRef(ctx, ch)
		}
		return a.refError(ch, name)
	case CCheck:
		return apply.Fail(ch, "%w: %s", pbx.ErrInvalid, checkWords(c.Name, ch))
	}
	return apply.Fail(ch, "%w: a value is missing (%s)", pbx.ErrInvalid, c.Detail)
}

// current reads a user's extension and site where the change does not set them.
func (a *Applier) current(ctx context.Context, user string, ext, site *string) {
	var e, s string
	if err := a.Q.QueryRow(ctx, `SELECT COALESCE(extension, ''), site FROM users WHERE company = $1 AND user_id = $2`, a.Company, user).Scan(&e, &s); err != nil {
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
func (a *Applier) earlier(i int, field, value string) string {
	for j := i - 1; j >= 0; j-- {
		if v, ok := a.Plan.Changes[j].After(field); ok && strings.EqualFold(v, value) {
			return a.Plan.Changes[j].Key
		}
	}
	return ""
}

// refError says which object a change refers to that does not exist.
func (a *Applier) refError(ch *plan.Change, name string) error {
	after := func(f string) string { v, _ := ch.After(f); return v }
	target := func() string { _, k := pbx.Target(after(plan.AttrTarget)).Split(); return k }
	switch name {
	case "users_company_fkey", "devices_company_fkey", "e911_locations_company_fkey", "numbers_company_fkey":
		return apply.Fail(ch, "%w: company %s does not exist; load it first with `pbxsync init --seed FILE`", pbx.ErrConflict, a.Company)
	case "numbers_target_user_fkey":
		return apply.Fail(ch, "%w: user %s does not exist; create the user before assigning numbers", pbx.ErrConflict, target())
	case "numbers_target_hunt_fkey":
		return apply.Fail(ch, "%w: hunt group %s does not exist in company %s", pbx.ErrConflict, target(), a.Company)
	case "numbers_target_aa_fkey":
		return apply.Fail(ch, "%w: auto attendant %s does not exist in company %s", pbx.ErrConflict, target(), a.Company)
	case "numbers_location_fkey":
		return apply.Fail(ch, "%w: E911 location %s does not exist in company %s; give the address so it is created first", pbx.ErrConflict, after(plan.AttrLocation), a.Company)
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

// missingRef finds which reference of a change points nowhere, for an
// engine that reports a broken foreign key without naming it (SQLite).
func (a *Applier) missingRef(ctx context.Context, ch *plan.Change) string {
	type ref struct {
		name, query string
		args        []any
	}
	var refs []ref
	after := func(f string) (string, bool) {
		v, ok := ch.After(f)
		return v, ok && v != ""
	}
	switch ch.Kind {
	case plan.KindNumber:
		if v, ok := after(plan.AttrTarget); ok {
			k, key := pbx.Target(v).Split()
			switch k {
			case pbx.TargetUser:
				refs = append(refs, ref{"numbers_target_user_fkey", `SELECT 1 FROM users WHERE company = $1 AND user_id = $2`, []any{a.Company, key}})
			case pbx.TargetHuntGroup:
				refs = append(refs, ref{"numbers_target_hunt_fkey", `SELECT 1 FROM hunt_groups WHERE company = $1 AND id = $2`, []any{a.Company, key}})
			case pbx.TargetAutoAttendant:
				refs = append(refs, ref{"numbers_target_aa_fkey", `SELECT 1 FROM auto_attendants WHERE company = $1 AND id = $2`, []any{a.Company, key}})
			}
		}
		if v, ok := after(plan.AttrLocation); ok {
			refs = append(refs, ref{"numbers_location_fkey", `SELECT 1 FROM e911_locations WHERE company = $1 AND id = $2`, []any{a.Company, v}})
		}
	case plan.KindDevice:
		if v, ok := after(plan.AttrModel); ok {
			refs = append(refs, ref{"devices_model_fkey", `SELECT 1 FROM device_models WHERE name = $1`, []any{v}})
		}
	case plan.KindLine:
		mac, _, _ := pbx.SplitLineKey(ch.Key)
		refs = append(refs, ref{"device_lines_mac_fkey", `SELECT 1 FROM devices WHERE company = $1 AND mac = $2`, []any{a.Company, mac}})
		if v, ok := after(plan.AttrUser); ok {
			refs = append(refs, ref{"device_lines_user_fkey", `SELECT 1 FROM users WHERE company = $1 AND user_id = $2`, []any{a.Company, v}})
		}
		if v, ok := after(plan.AttrNumber); ok {
			refs = append(refs, ref{"device_lines_number_fkey", `SELECT 1 FROM numbers WHERE company = $1 AND e164 = $2`, []any{a.Company, v}})
		}
	}
	refs = append(refs, ref{"users_company_fkey", `SELECT 1 FROM companies WHERE id = $1`, []any{a.Company}})
	for _, r := range refs {
		var one int
		if err := a.Q.QueryRow(ctx, r.query, r.args...).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return r.name
		}
	}
	return ""
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

// renamedTo is the login a change gives its object: a rename's new login,
// else its key.
func (a *Applier) renamedTo(ch *plan.Change) string {
	if to, ok := ch.After(plan.AttrUserID); ok && ch.Action == plan.Rename {
		return to
	}
	return ch.Key
}
