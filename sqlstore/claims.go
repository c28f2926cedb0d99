package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/plan"
)

// Logins, e-mails (lower case), E.164 numbers and MACs are unique across
// all companies. Each has a claim (login_claims...) that says which company
// holds a value, which the "held by another company" look-ups read; a
// broken rule carries the claim's name (login_claims_pkey...) on every
// layout. On one server a claim is a view of its objects and the rule a
// unique index of the object's table (postgres migration 011, sqlite 010).
// On Citus, which shards the objects by company (a unique index covers one
// shard), the claims are tables sharded by the value, written in the
// transaction that writes their object (Applier.Claims): the writes below,
// and those of rename.go, erase.go, the seed and pbxsync gen.
//
// E-mails are global rather than per company: an address is one mailbox,
// which one person of one company reads; voicemail-to-mail and sign-in by
// e-mail need it to name one user.

// ClaimOf is the claim table and key column that keep the key of a kind
// of object unique across companies; "" for kinds keyed per company.
func ClaimOf(k plan.Kind) (table, col string) {
	switch k {
	case plan.KindUser:
		return "login_claims", "user_id"
	case plan.KindNumber:
		return "number_claims", "e164"
	case plan.KindDevice, plan.KindLine:
		return "device_claims", "mac"
	}
	return "", ""
}

// Email is an e-mail as its claim holds it: lower case by ASCII letters
// only, as both engines' lower() folds it (PostgreSQL's under the C
// collation), so that Go and SQL agree on every address.
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

// claim writes the claims change i takes and lets go of (per-change path);
// a value held already breaks the claim's key, which describe explains.
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

// release lets go of the claim of a number a numbers file removes.
func (a *Applier) release(ctx context.Context, i int, ch *plan.Change) error {
	if !a.Claims {
		return nil
	}
	table, col := ClaimOf(ch.Kind)
	_, err := a.exec(ctx, i, ch, `DELETE FROM `+table+` WHERE `+col+` = $1 AND company = $2`, ch.Key, a.Company)
	return err
}

// SetClaims writes the claims of a batch written set-wise, one statement
// per claim table, the e-mails let go of first. A value held already breaks
// a claim's key: the batch then goes change by change, which names it.
func (a *Applier) SetClaims(ctx context.Context, changes []int) error {
	if !a.Claims {
		return nil
	}
	var free, emails, holders []string
	created := map[plan.Kind][]string{}
	for _, i := range changes {
		ch := &a.Plan.Changes[i]
		if ch.Action == plan.Create && (ch.Kind == plan.KindUser || ch.Kind == plan.KindDevice) {
			created[ch.Kind] = append(created[ch.Kind], ch.Key)
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
	type step struct {
		n    int
		sql  string
		args []any
	}
	steps := []step{
		{len(free), `DELETE FROM email_claims WHERE company = $1 AND ` + d.In("email", "$2"), []any{a.Company, d.List(free)}},
		{len(emails), `INSERT INTO email_claims (email, company, user_id) SELECT k.email, $1, k.user_id FROM ` +
			d.Unnest([]string{"$2", "$3"}, []string{"email", "user_id"}), []any{a.Company, d.List(emails), d.List(holders)}},
	}
	for _, k := range []plan.Kind{plan.KindUser, plan.KindDevice} {
		table, col := ClaimOf(k)
		steps = append(steps, step{len(created[k]), `INSERT INTO ` + table + ` (` + col + `, company) SELECT k.` + col + `, $1 FROM ` +
			d.Unnest([]string{"$2"}, []string{col}), []any{a.Company, d.List(created[k])}})
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

// holder returns the company that holds key in the claim of kind k, ""
// when none does or k has no claim.
func holder(ctx context.Context, q Q, k plan.Kind, key string) (string, error) {
	table, col := ClaimOf(k)
	if table == "" {
		return "", nil
	}
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
