package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/plan"
)

// Four values are unique across all companies, not per company: logins,
// e-mails (lower case), E.164 numbers and MACs. Each has a claim, named
// login_claims, email_claims, number_claims and device_claims, that says
// which company holds a value; the "held by another company" look-ups
// (loadForeign, describe, rename, members) read them, and a broken rule
// carries the claim's name (login_claims_pkey...) on every layout.
//
// On one server (the embedded store, a PostgreSQL that is not
// distributed) a claim is a view of its objects and the rule a unique
// index on the object's own table (postgres migration 011, sqlite 010):
// nothing is written beside the object. On Citus, which shards the objects
// by company (a unique index there covers one shard), the claims are
// tables sharded by the value (`pbxsync init --distributed` makes them):
// a claim is written in the transaction that writes its object, before or
// after it, and the claim's primary key refuses a second holder.
// Applier.Claims (Engine.ClaimTables) says which; the writes below, and
// those of rename.go, erase.go and the seed, happen only on Citus.
//
// E-mails are global rather than per company: an address is one mailbox,
// which one person of one company reads; two companies that both list it
// have a mistake to fix, and voicemail-to-mail and sign-in by e-mail need
// it to name one user.
//
// Who writes a claim table: Apply, when it creates a user (login and
// e-mail), a device (MAC) or a number (a numbers file), changes a user's
// e-mail, renames a user, erases one or removes a number (claims.go,
// rename.go, erase.go); Seed for every user, number and device it writes;
// pbxsync gen's bulk load beside its rows. Devices are never deleted.

// Claim tables and their key columns.
const (
	loginClaims  = "login_claims"
	emailClaims  = "email_claims"
	numberClaims = "number_claims"
	deviceClaims = "device_claims"
)

// ClaimOf is the claim table and key column that keep the key of a kind
// of object unique across companies; "" for kinds keyed per company.
func ClaimOf(k plan.Kind) (table, col string) {
	switch k {
	case plan.KindUser:
		return loginClaims, "user_id"
	case plan.KindNumber:
		return numberClaims, "e164"
	case plan.KindDevice, plan.KindLine:
		return deviceClaims, "mac"
	}
	return "", ""
}

// Email is an e-mail as its claim holds it: lower case by ASCII letters
// only, as both engines' lower() folds it (PostgreSQL's under the C
// collation the index names), so that Go and SQL agree on every address.
func Email(e string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, e)
}

// emailMove says how a user change moves the user's e-mail claim: the
// address it lets go of and the one it takes ("" for none); ok is false
// when the change does not touch the e-mail.
func emailMove(ch *plan.Change) (from, to string, ok bool) {
	if ch.Kind != plan.KindUser {
		return "", "", false
	}
	for _, f := range ch.Fields.All() {
		if f.Field == plan.AttrEmail {
			if ch.Action == plan.Create {
				return "", Email(f.After), f.After != ""
			}
			return Email(f.Before), Email(f.After), Email(f.Before) != Email(f.After)
		}
	}
	return "", "", false
}

// claim writes the claims change i takes and lets go of, in the per-change
// path: a new user's login and e-mail, a user's new e-mail, a new device's
// MAC. A value held already breaks the claim table's primary key, which
// describe turns into who holds it.
func (a *Applier) claim(ctx context.Context, i int, ch *plan.Change) error {
	if !a.Claims {
		return nil
	}
	if ch.Action == plan.Create && (ch.Kind == plan.KindUser || ch.Kind == plan.KindDevice || ch.Kind == plan.KindNumber) {
		table, col := ClaimOf(ch.Kind)
		if _, err := a.exec(ctx, i, ch, `INSERT INTO `+table+` (`+col+`, company) VALUES ($1, $2)`, ch.Key, a.Company); err != nil {
			return err
		}
	}
	from, to, ok := emailMove(ch)
	if !ok {
		return nil
	}
	if from != "" {
		if _, err := a.exec(ctx, i, ch, `DELETE FROM email_claims WHERE email = $1 AND company = $2 AND user_id = $3`, from, a.Company, ch.Key); err != nil {
			return err
		}
	}
	if to != "" {
		_, err := a.exec(ctx, i, ch, `INSERT INTO email_claims (email, company, user_id) VALUES ($1, $2, $3)`, to, a.Company, ch.Key)
		return err
	}
	return nil
}

// release lets go of the claim of the object delete change i removed (a
// number taken out of the inventory by a numbers file).
func (a *Applier) release(ctx context.Context, i int, ch *plan.Change) error {
	if !a.Claims {
		return nil
	}
	table, col := ClaimOf(ch.Kind)
	_, err := a.exec(ctx, i, ch, `DELETE FROM `+table+` WHERE `+col+` = $1 AND company = $2`, ch.Key, a.Company)
	return err
}

// SetClaims writes the claims of a batch written set-wise, one statement
// per claim table: the e-mails let go of first, then the logins, e-mails
// and MACs taken. A value held already breaks a claim's primary key: the
// error is the engine's (the set-based path then gives way to the
// per-change one, which names the change and the holder).
func (a *Applier) SetClaims(ctx context.Context, changes []int) error {
	if !a.Claims {
		return nil
	}
	var logins, macs, free, emails, holders []string
	for _, i := range changes {
		ch := &a.Plan.Changes[i]
		if ch.Action == plan.Create && ch.Kind == plan.KindUser {
			logins = append(logins, ch.Key)
		}
		if ch.Action == plan.Create && ch.Kind == plan.KindDevice {
			macs = append(macs, ch.Key)
		}
		if from, to, ok := emailMove(ch); ok {
			if from != "" {
				free = append(free, from)
			}
			if to != "" {
				emails, holders = append(emails, to), append(holders, ch.Key)
			}
		}
	}
	d := a.D
	steps := []struct {
		n    int
		sql  string
		args []any
	}{
		{len(free), `DELETE FROM email_claims WHERE company = $1 AND ` + d.In("email", "$2"), []any{a.Company, d.List(free)}},
		{len(logins), `INSERT INTO login_claims (user_id, company) SELECT k.user_id, $1 FROM ` + d.Unnest([]string{"$2"}, []string{"user_id"}),
			[]any{a.Company, d.List(logins)}},
		{len(emails), `INSERT INTO email_claims (email, company, user_id) SELECT k.email, $1, k.user_id FROM ` +
			d.Unnest([]string{"$2", "$3"}, []string{"email", "user_id"}), []any{a.Company, d.List(emails), d.List(holders)}},
		{len(macs), `INSERT INTO device_claims (mac, company) SELECT k.mac, $1 FROM ` + d.Unnest([]string{"$2"}, []string{"mac"}),
			[]any{a.Company, d.List(macs)}},
	}
	for _, s := range steps {
		if s.n == 0 {
			continue
		}
		if _, err := a.Q.Exec(ctx, s.sql, s.args...); err != nil {
			return err
		}
	}
	return nil
}

// holder returns the company that holds key in a claim table, "" when
// none does.
func holder(ctx context.Context, q Q, table, col, key string) (string, error) {
	var company string
	err := q.QueryRow(ctx, `SELECT company FROM `+table+` WHERE `+col+` = $1`, key).Scan(&company)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading who holds %s %s: %w", col, key, err)
	}
	return company, nil
}
