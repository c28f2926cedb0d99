package sqlstore

import (
	"cmp"
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
		key, _ := keys[0].Val.(string)
		company, err := holder(ctx, a.Q, t.Kind, key)
		switch {
		case err != nil:
			return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
		case company != "" && company != a.Company && t.Kind == plan.KindLine:
			return apply.Fail(ch, "%w: device %s belongs to company %s, not %s", pbx.ErrConflict, pbx.MAC(key), company, a.Company)
		case company != "" && company != a.Company:
			return apply.Fail(ch, "%w: it belongs to company %s, not %s", pbx.ErrConflict, company, a.Company)
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
	company, err := holder(ctx, a.Q, plan.KindDevice, mac)
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
	if ch.Kind == plan.KindHuntMember && (c.Kind == CUnique || c.Kind == CForeignKey) {
		if g, u, pos, err := plan.ReadHuntMember(ch); err == nil {
			return a.huntMemberStale(ctx, ch, g, u, pos) // its group or user is not the company's, or its position is taken
		}
	}
	switch c.Kind {
	case CUnique:
		switch c.Name {
		case "users_extension_key":
			ext, site := after(plan.AttrExtension)(ch), after(plan.AttrSite)(ch)
			var e, s string // the user's own, where the change does not set them
			if _, ok := ch.After(plan.AttrExtension); (!ok || ch.Action != plan.Create) && a.Q.QueryRow(ctx,
				`SELECT COALESCE(extension, ''), site FROM users WHERE company = $1 AND user_id = $2`, a.Company, ch.Key).Scan(&e, &s) == nil {
				ext, site = cmp.Or(ext, e), cmp.Or(site, s)
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
			return apply.Fail(ch, "%w: extension %s is already used by %s; choose another extension", pbx.ErrConflict, ext, cmp.Or(holder, "another user"))
		case "email_claims_pkey":
			email := after(plan.AttrEmail)(ch)
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
		case "users_pkey", "devices_pkey", "numbers_pkey", "login_claims_pkey", "device_claims_pkey", "number_claims_pkey",
			"device_lines_pkey", "e911_locations_pkey", "number_members_pkey":
			if company, err := holder(ctx, a.Q, ch.Kind, a.renamedTo(ch)); err == nil && company != "" && company != a.Company {
				return apply.Fail(ch, "%w: it exists already in company %s", pbx.ErrConflict, company)
			}
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

// references are the foreign keys of a change's object, in the order
// missingRef tries them: the value of the change that names the row (of),
// the table it must be in (by its key, and the company where the table has
// one), and the failure's words (that value, then the company).
var references = []struct {
	name  string
	kind  plan.Kind
	of    func(ch *plan.Change) string
	t     *Table
	words string
}{
	{"numbers_target_user_fkey", plan.KindNumber, target(pbx.TargetUser), Users, "user %[1]s does not exist; create the user before assigning numbers"},
	{"numbers_target_hunt_fkey", plan.KindNumber, target(pbx.TargetHuntGroup), HuntGroups, "hunt group %s does not exist in company %s"},
	{"numbers_target_aa_fkey", plan.KindNumber, target(pbx.TargetAutoAttendant), AutoAttendants, "auto attendant %s does not exist in company %s"},
	{"numbers_location_fkey", plan.KindNumber, after(plan.AttrLocation), Locations, "E911 location %s does not exist in company %s; give the address so it is created first"},
	{"devices_model_fkey", plan.KindDevice, after(plan.AttrModel), Models, "device model %[1]s is not in the catalogue; add it to the seed's models"},
	{"device_lines_mac_fkey", plan.KindLine, func(ch *plan.Change) string { mac, _, _ := pbx.SplitLineKey(ch.Key); return mac }, Devices,
		"device %[1]s does not exist; create the device before its lines"},
	{"device_lines_user_fkey", plan.KindLine, after(plan.AttrUser), Users, "user %[1]s does not exist; create the user before giving them a phone"},
	{"device_lines_number_fkey", plan.KindLine, after(plan.AttrNumber), Numbers, "number %[1]s is not in the inventory"},
}

// after is the value a change gives attribute f.
func after(f string) func(*plan.Change) string {
	return func(ch *plan.Change) string { v, _ := ch.After(f); return v }
}

// target is the key of the object a number's new target names, if of kind k.
func target(k pbx.TargetKind) func(*plan.Change) string {
	return func(ch *plan.Change) string {
		if tk, key := pbx.Target(after(plan.AttrTarget)(ch)).Split(); tk == k {
			return key
		}
		return ""
	}
}

// refError says which object a change refers to that does not exist.
func (a *Applier) refError(ch *plan.Change, name string) error {
	if strings.HasSuffix(name, "_company_fkey") {
		return apply.Fail(ch, "%w: company %s does not exist; load it first with `pbxsync init --seed FILE`", pbx.ErrConflict, a.Company)
	}
	for _, r := range references {
		if r.name == name {
			v := r.of(ch)
			if r.t == Devices {
				v = pbx.MAC(v).String()
			}
			return apply.Fail(ch, "%w: %s", pbx.ErrConflict, fmt.Sprintf(r.words, v, a.Company))
		}
	}
	return apply.Fail(ch, "%w: it refers to an object that does not exist (%s)", pbx.ErrConflict, name)
}

// missingRef finds which reference of a change points nowhere, for an
// engine that reports a broken foreign key without naming it (SQLite).
func (a *Applier) missingRef(ctx context.Context, ch *plan.Change) string {
	missing := func(query string, args ...any) bool {
		var one int
		return errors.Is(a.Q.QueryRow(ctx, query, args...).Scan(&one), sql.ErrNoRows)
	}
	for _, r := range references {
		if v := r.of(ch); r.kind == ch.Kind && v != "" {
			if r.t.Company && missing(`SELECT 1 FROM `+r.t.Name+` WHERE company = $1 AND `+r.t.Key[0]+` = $2`, a.Company, v) ||
				!r.t.Company && missing(`SELECT 1 FROM `+r.t.Name+` WHERE `+r.t.Key[0]+` = $1`, v) {
				return r.name
			}
		}
	}
	if missing(`SELECT 1 FROM companies WHERE id = $1`, a.Company) {
		return "users_company_fkey"
	}
	return ""
}

// checkWords explains a broken CHECK rule.
func checkWords(name string, ch *plan.Change) string {
	switch name {
	case "users_status_check":
		return fmt.Sprintf("status %q is neither %s nor %s", after(plan.AttrStatus)(ch), pbx.StatusActive, pbx.StatusDeprovisioned)
	case "numbers_target_check":
		return fmt.Sprintf("target %q is not user:ID, huntgroup:ID, autoattendant:ID or empty", after(plan.AttrTarget)(ch))
	case "device_lines_port_check":
		return "the port must be 1 or more"
	case "device_lines_lines_check":
		return fmt.Sprintf("line appearances %q must be 0 or more", after(plan.AttrLines)(ch))
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
