package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// An erasure (a user's delete planned by plan.Erase for `pbxsync erase`)
// removes a deprovisioned user at the version the plan saw, and in the same
// transaction takes the person out of the company's audit log (GDPR): the
// login and e-mail are replaced wherever they appear by a pseudonym, the
// same for every record of the person, so their history still reads as one
// person's, naming nobody; the first and last name in the changes of their
// own key are cleared. The erasure's own record names the login erased: the
// proof that it was done. It is written change by change (apply.OpOf).
func (a *Applier) erase(ctx context.Context, i int, ch *plan.Change) error {
	var email, first, last, status string
	err := a.Q.QueryRow(ctx, `SELECT COALESCE(email, ''), first_name, last_name, status FROM users WHERE user_id = $1 AND company = $2 AND version = $3`,
		ch.Key, a.Company, ch.Version).Scan(&email, &first, &last, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return a.stale(ctx, Tables[plan.KindUser], ch, []Assign{{Col: "user_id", Val: ch.Key}})
	case err != nil:
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	case status != string(pbx.StatusDeprovisioned):
		return apply.Fail(ch, "%w: it is %s: only a deprovisioned user is erased; plan the erasure again", pbx.ErrRefused, status)
	}
	if _, err := a.exec(ctx, i, ch, `DELETE FROM users WHERE user_id = $1 AND company = $2`, ch.Key, a.Company); err != nil {
		return err
	}
	if a.Claims {
		if _, err := a.exec(ctx, i, ch, `DELETE FROM login_claims WHERE user_id = $1 AND company = $2`, ch.Key, a.Company); err != nil {
			return err
		}
		if _, err := a.exec(ctx, i, ch, `DELETE FROM email_claims WHERE email = $1 AND company = $2`, Email(email), a.Company); err != nil {
			return err
		}
	}
	if err := a.scrub(ctx, ch.Key, email, first, last); err != nil {
		return fmt.Errorf("%s: %s: taking the person out of the audit log: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	return nil
}

// Pseudonym is what the audit log says for an erased login.
func Pseudonym(login string) string {
	sum := sha256.Sum256([]byte(login))
	return "erased-" + hex.EncodeToString(sum[:6])
}

// scrub takes the person out of the company's audit log (see above); runs
// recorded before run_batches keep their changes with the pseudonym as key
// and no fields.
func (a *Applier) scrub(ctx context.Context, login, email, first, last string) error {
	pseudo := Pseudonym(login)
	if strings.EqualFold(email, login) {
		email = "" // replaced with the login
	}
	like := []any{"%" + login + "%", "%" + orNever(email) + "%"}
	// The runs' plans as text: replace() leaves a text alone where it finds
	// "" (no e-mail), on both engines.
	if _, err := a.Q.Exec(ctx, `UPDATE runs SET plan = replace(replace(plan, $2, $3), $4, $5)
		WHERE company = $1 AND (plan LIKE $6 OR plan LIKE $7)`, a.Company, login, pseudo, email, pseudo+"-email", like[0], like[1]); err != nil {
		return err
	}
	type batch struct {
		run     int64
		n       int
		changes string
	}
	var todo []batch
	err := each(ctx, a.Q, `SELECT run_id, batch, changes FROM run_batches
		WHERE company = $1 AND (changes LIKE $2 OR changes LIKE $3)`, func(r Rows) error {
		var b batch
		err := r.Scan(&b.run, &b.n, &b.changes)
		todo = append(todo, b)
		return err
	}, a.Company, like[0], like[1])
	if err != nil {
		return err
	}
	for _, b := range todo {
		text, err := clearNames(b.changes, login, first, last)
		if err != nil {
			return fmt.Errorf("run %d batch %d: %w", b.run, b.n, err)
		}
		text = strings.ReplaceAll(text, login, pseudo)
		if email != "" {
			text = strings.ReplaceAll(text, email, pseudo+"-email")
		}
		if _, err := a.Q.Exec(ctx, `UPDATE run_batches SET changes = $1 WHERE company = $2 AND run_id = $3 AND batch = $4`, text, a.Company, b.run, b.n); err != nil {
			return err
		}
	}
	_, err = a.Q.Exec(ctx, `UPDATE run_changes SET key = $1, fields = '[]' WHERE company = $3 AND key = $2`,
		pseudo, login, a.Company)
	return err
}

// orNever is s, or a pattern no audit record holds when s is empty.
func orNever(s string) string {
	if s == "" {
		return "\x00"
	}
	return s
}

// clearNames clears, in a batch's changes, the values of the first and last
// name in the changes of user login.
func clearNames(text, login, first, last string) (string, error) {
	var changes []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &changes); err != nil {
		return "", err
	}
	touched := false
	for _, c := range changes {
		var kind, key string
		json.Unmarshal(c["kind"], &kind)
		json.Unmarshal(c["key"], &key)
		if kind != string(plan.KindUser) || key != login || c["fields"] == nil {
			continue
		}
		var fields []plan.FieldChange
		if err := json.Unmarshal(c["fields"], &fields); err != nil {
			return "", err
		}
		for j := range fields {
			if f := fields[j].Field; f == plan.AttrFirstName || f == plan.AttrLastName {
				fields[j].Before, fields[j].After = "", ""
				touched = true
			}
		}
		b, err := json.Marshal(fields)
		if err != nil {
			return "", err
		}
		c["fields"] = b
	}
	if !touched {
		return text, nil
	}
	b, err := json.Marshal(changes)
	return string(b), err
}
