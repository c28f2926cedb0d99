package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Seed loads a company's starting state in one transaction: SeedItems'
// upserts (sent at once where the transaction is a Batcher). Objects that
// exist already are updated (their version raised); nothing is deleted; one
// that exists under another company wraps pbx.ErrConflict. Every company's
// generation is raised: the device catalogue and the inventory of numbers,
// which other companies' rosters may name, are written only by a seed.
func (s *Store) Seed(ctx context.Context, sd *pbx.Seed) error {
	if sd == nil || sd.Company.ID == "" {
		return fmt.Errorf("%w: seed: the company has no id", pbx.ErrInvalid)
	}
	return s.E.Write(ctx, sd.Company.ID, func(q Q) error {
		scopes, err := SeedScopes(ctx, q, sd)
		if err != nil {
			return err
		}
		claims := s.E.ClaimTables()
		emails, err := SeedEmails(ctx, q, s.E, sd, claims)
		if err != nil {
			return err
		}
		items, err := SeedItems(sd, scopes, emails, claims)
		if err != nil {
			return err
		}
		check := func(i int, n int64, err error) error { return items[i].Check(s.E, n, err) }
		b, batched := q.(Batcher)
		if batched {
			err = b.ExecSeed(ctx, items, check)
		}
		for i := 0; i < len(items) && !batched && err == nil; i++ {
			n, xerr := q.Exec(ctx, items[i].SQL, items[i].Args...)
			err = check(i, n, xerr)
		}
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE companies SET generation = generation + 1`); err != nil {
			return fmt.Errorf("%s: seed: raising the generation: %w", s.E.Name(), err)
		}
		return nil
	})
}

// Batcher is a Q that sends a seed's upserts to the server at once.
type Batcher interface {
	ExecSeed(ctx context.Context, items []SeedItem, check func(i int, n int64, err error) error) error
}

// Check tells what the upsert's result means: a broken rule wraps
// pbx.ErrConflict, and so does a guarded upsert that changed no row (n).
func (it SeedItem) Check(d Dialect, n int64, err error) error {
	c := d.ConstraintOf(err)
	switch {
	case err != nil && c.Kind == CUnique && strings.HasSuffix(c.Name, "_claims_pkey") && c.Name != "email_claims_pkey", it.guard && n == 0:
		return fmt.Errorf("%w: seed: %s exists already under another company, or names a device, number or user that is not the seed's company's; give it another key or seed that company",
			pbx.ErrConflict, it.Name)
	case c.Kind != 0:
		return fmt.Errorf("%w: seed: %s: breaks %s (%s)", pbx.ErrConflict, it.Name, c.Name, c.Detail)
	case err != nil:
		return fmt.Errorf("%s: seed: %s: %w", d.Name(), it.Name, err)
	}
	return nil
}

// SeedItem is one upsert of the seed.
type SeedItem struct {
	Name, SQL string
	Args      []any
	guard     bool // an upsert that changes no row: the object is another company's
}

// upsert writes a row of table with the columns cols, the first key of them
// its key, and updates the others when the key is there already.
func upsert(table string, key int, versioned bool, cols ...string) string {
	ph, set := make([]string, len(cols)), make([]string, 0, len(cols))
	for j, c := range cols {
		ph[j] = "$" + strconv.Itoa(j+1)
		if j >= key {
			set = append(set, c+" = excluded."+c)
		}
	}
	if versioned {
		set = append(set, "version = "+table+".version + 1")
	}
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(ph, ", ") +
		") ON CONFLICT (" + strings.Join(cols[:key], ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// The upserts of the seed. The foreign keys of a member and a device line
// carry the company: they refuse another company's rows.
var (
	upsertCompany    = upsert("companies", 1, false, "id", "name", "plan", "sms")
	upsertSite       = upsert("sites", 2, false, "company", "code", "name", "region", "ext_len", "own_dial_plan", "reserved")
	upsertModel      = upsert("device_models", 1, false, "name", "vendor", "kind", "ports", "max_lines", "ouis")
	upsertLocation   = upsert("e911_locations", 2, true, "company", "id", "street", "city", "region", "postal", "country")
	upsertHunt       = upsert("hunt_groups", 2, false, "company", "id", "name", "extension")
	upsertAA         = upsert("auto_attendants", 2, false, "company", "id", "name", "extension")
	upsertMember     = upsert("number_members", 3, false, "company", "number", "user_id", "role")
	upsertHuntMember = upsert("hunt_group_members", 3, false, "company", "group_id", "user_id", "position")
	upsertDevice     = upsert("devices", 2, true, "company", "mac", "model")
	upsertLine       = upsert("device_lines", 3, true, "company", "mac", "port", "user_id", "number", "lines")
	upsertNumber     = upsert("numbers", 2, true, "company", "e164", "site", "label", "target_kind", "target_user", "target_hunt",
		"target_aa", "routing", "saved_routing", "holiday_routing", "sms", "location")
	upsertUser = upsert("users", 2, true, "company", "user_id", "site", "first_name", "last_name", "email", "extension", "ext_scope",
		"station_type", "voice_enabled", "caller_id", "status", "external_id")
)

// A claim (claims.go) is taken or kept by the seed's company (guarded).
var claimLogin, claimNumber, claimDevice = claimUpsert(plan.KindUser), claimUpsert(plan.KindNumber), claimUpsert(plan.KindDevice)

func claimUpsert(k plan.Kind) string {
	table, col := ClaimOf(k)
	return `INSERT INTO ` + table + ` (` + col + `, company) VALUES ($1, $2)
		ON CONFLICT (` + col + `) DO UPDATE SET company = excluded.company WHERE ` + table + `.company = excluded.company`
}

// A seeded user's e-mail claim: the one it held let go, its own taken.
const (
	freeEmail  = `DELETE FROM email_claims WHERE email = $1 AND company = $2 AND user_id = $3`
	claimEmail = `INSERT INTO email_claims (email, company, user_id) VALUES ($1, $2, $3)`
)

// SeedScopes returns the extension scope of each site of the seed's
// company as the seed leaves them (see scopes).
func SeedScopes(ctx context.Context, q Q, sd *pbx.Seed) (map[string]string, error) {
	m, err := scopes(ctx, q, sd.Company.ID)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	for _, x := range sd.Sites {
		m[x.Code] = ""
		if x.OwnDialPlan {
			m[x.Code] = x.Code
		}
	}
	return m, nil
}

// SeedEmails returns the e-mail (lower case) each of the seed's users
// holds in the store, for the e-mail claims the seed moves (claims: Citus).
func SeedEmails(ctx context.Context, q Q, d Dialect, sd *pbx.Seed, claims bool) (map[string]string, error) {
	if !claims {
		return nil, nil
	}
	held := map[string]string{}
	if len(sd.Users) == 0 {
		return held, nil
	}
	ids := make([]string, len(sd.Users))
	for i, u := range sd.Users {
		ids[i] = string(u.ID)
	}
	err := each(ctx, q, `SELECT user_id, COALESCE(email, '') FROM users WHERE company = $1 AND `+d.In("user_id", "$2"), func(r Rows) error {
		var id, email string
		err := r.Scan(&id, &email)
		held[id] = Email(email)
		return err
	}, sd.Company.ID, d.List(ids))
	if err != nil {
		return nil, fmt.Errorf("seed: reading the e-mails of company %s: %w", sd.Company.ID, err)
	}
	return held, nil
}

// SeedItems turns a seed into its upserts, in an order that satisfies the
// foreign keys, checking what the database cannot.
func SeedItems(sd *pbx.Seed, scopes, emails map[string]string, claims bool) ([]SeedItem, error) {
	co := sd.Company.ID
	var items []SeedItem
	var bad error
	add := func(name, sql string, guard bool, company string, args ...any) {
		if bad != nil {
			return
		}
		if company != "" && company != co {
			bad = fmt.Errorf("%w: seed: %s belongs to company %q, but the seed is for %q", pbx.ErrInvalid, name, company, co)
			return
		}
		items = append(items, SeedItem{Name: name, SQL: sql, Args: args, guard: guard})
	}
	claim := func(name, sql string, guard bool, company string, args ...any) {
		if claims {
			add(name, sql, guard, company, args...)
		}
	}
	c := sd.Company
	add("company "+co, upsertCompany, false, "", c.ID, c.Name, c.Plan, c.SMS)
	for _, x := range sd.Sites {
		name := fmt.Sprintf("site %q", x.Code)
		for _, r := range x.Reserved {
			if strings.ContainsAny(r.From+r.To, ",-") {
				return nil, fmt.Errorf("%w: seed: %s: reserved range %s-%s holds ',' or '-'", pbx.ErrInvalid, name, r.From, r.To)
			}
		}
		add(name, upsertSite, false, x.Company, co, x.Code, x.Name, x.Region, x.ExtLen, x.OwnDialPlan, plan.FormatRanges(x.Reserved))
	}
	for _, x := range sd.Models {
		add(fmt.Sprintf("device model %q", x.Name), upsertModel, false, "", x.Name, x.Vendor, string(x.Kind), x.Ports, x.MaxLines, JoinList(x.OUIs))
	}
	for _, x := range sd.Locations {
		add(fmt.Sprintf("E911 location %q", x.ID), upsertLocation, false, x.Company, co, x.ID, x.Street, x.City, x.Region, x.Postal, x.Country)
	}
	for _, x := range sd.Hunts {
		add(fmt.Sprintf("hunt group %q", x.ID), upsertHunt, false, x.Company, co, x.ID, x.Name, string(x.Extension))
	}
	for _, x := range sd.AAs {
		add(fmt.Sprintf("auto attendant %q", x.ID), upsertAA, false, x.Company, co, x.ID, x.Name, string(x.Extension))
	}
	for _, x := range sd.Users {
		status := x.Status
		if status == "" {
			status = pbx.StatusActive
		}
		name := "user " + string(x.ID)
		claim(name, claimLogin, true, x.Company, string(x.ID), co)
		if old := emails[string(x.ID)]; old != "" && old != Email(x.Email) {
			claim(name, freeEmail, false, x.Company, old, co, string(x.ID))
		}
		add(name, upsertUser, false, x.Company, co, string(x.ID), x.Site, x.FirstName, x.LastName, Nullable(x.Email),
			Nullable(string(x.Extension)), scopes[x.Site], x.StationType, x.VoiceEnabled, x.CallerID, string(status), x.ExternalID)
		if x.Email != "" && emails[string(x.ID)] != Email(x.Email) {
			claim(name, claimEmail, false, x.Company, Email(x.Email), co, string(x.ID))
		}
	}
	for _, x := range sd.Numbers {
		name := "number " + string(x.E164)
		tv, err := TargetValues(x.Target)
		if err != nil {
			return nil, fmt.Errorf("%w: seed: %s: %v", pbx.ErrInvalid, name, err)
		}
		claim(name, claimNumber, true, x.Company, string(x.E164), co)
		add(name, upsertNumber, false, x.Company, co, string(x.E164), x.Site, x.Label, tv[0], tv[1], tv[2], tv[3],
			string(x.Routing), string(x.SavedRouting), string(x.HolidayRouting), x.SMS, Nullable(x.Location))
	}
	for _, x := range sd.Members {
		add(fmt.Sprintf("member %s of number %s", x.User, x.Number), upsertMember, false, "", co, string(x.Number), string(x.User), string(x.Role))
	}
	for _, g := range sd.Hunts {
		for _, m := range g.Members {
			add(fmt.Sprintf("member %s of hunt group %q", m.User, g.ID), upsertHuntMember, false, "", co, g.ID, string(m.User), m.Position)
		}
	}
	for _, x := range sd.Devices {
		claim("device "+x.MAC.String(), claimDevice, true, x.Company, string(x.MAC), co)
		add("device "+x.MAC.String(), upsertDevice, false, x.Company, co, string(x.MAC), x.Model)
	}
	for _, x := range sd.Lines {
		add("line "+pbx.LineKey(x.MAC, x.Port), upsertLine, false, "", co, string(x.MAC), x.Port,
			Nullable(string(x.User)), Nullable(string(x.Number)), x.Lines)
	}
	return items, bad
}
