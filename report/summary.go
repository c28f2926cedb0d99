package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/pbxsync/pbxsync/plan"
)

// SummaryFormat is the format_version of the run summary; see
// docs/json.md. A field is never renamed or given another meaning within
// one version; fields may be added.
const SummaryFormat = 1

// Summary is what one command (validate, plan, apply, revert) did, in counts: what
// a scheduled sync reads to decide whether to alert (pbxsync apply
// --summary-json FILE). It is rendered from the same values as the text
// summary on stderr.
type Summary struct {
	Format     int       `json:"format_version"`
	Command    string    `json:"command"` // validate, plan, apply or revert
	Company    string    `json:"company"`
	Mode       plan.Mode `json:"mode,omitempty"` // onboard or sync; none for validate
	Roster     string    `json:"roster"`         // the file name (roster or saved plan's roster)
	RosterHash string    `json:"roster_hash"`
	// RunID is the run in the audit log (pbxsync runs); 0 when nothing was
	// recorded (validate, plan, an empty plan, a refused apply).
	RunID      int64     `json:"run_id"`
	Atomic     bool      `json:"atomic"` // apply wrote the whole plan in one transaction
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	DurationMS int64     `json:"duration_ms"`
	// Stages are the parts of the command, in order, each with its time.
	Stages []StageTime `json:"stages"`
	// Rows counts the rows of the per-row report by status, every status
	// present; nil when the command stopped before it had one.
	Rows map[plan.Status]int `json:"rows"`
	// Plan is the plan's own summary; nil for validate, or when the command
	// stopped before it had a plan.
	Plan *plan.Summary `json:"plan"`
	// Changes counts the plan's changes and, after apply, those written.
	Changes    *ChangeCounts `json:"changes"`
	RolledBack bool          `json:"rolled_back"` // apply: a change failed and nothing was written
	// ExitCode is the process's exit status and Exit its meaning (ok,
	// changes, partial, fatal, interrupted; see docs/json.md).
	ExitCode int    `json:"exit_code"`
	Exit     string `json:"exit"`
	Error    string `json:"error,omitempty"` // why the command failed or was refused
}

// StageTime is how long one part of a command took.
type StageTime struct {
	Name       string `json:"name"` // validate, plan, apply, report
	DurationMS int64  `json:"duration_ms"`
}

// ChangeCounts counts a plan's changes.
type ChangeCounts struct {
	Planned    int `json:"planned"`
	Applied    int `json:"applied"`     // written (apply only)
	NotWritten int `json:"not_written"` // planned but not written: failed, left out with a failed row, rolled back or never reached (apply only)
}

// Statuses are the statuses a per-row report may give a row, in the order
// of the report's documentation.
var Statuses = []plan.Status{plan.StatusValid, plan.StatusCreated, plan.StatusUpdated, plan.StatusUnchanged, plan.StatusMoved,
	plan.StatusRenamed, plan.StatusDeprovisioned, plan.StatusRemoved, plan.StatusInvalid, plan.StatusConflict, plan.StatusFailed, plan.StatusSkipped}

// CountRows counts the lines of a per-row report by status; every status
// of Statuses is present, 0 when no row has it.
func CountRows(lines []Line) map[plan.Status]int {
	n := make(map[plan.Status]int, len(Statuses))
	for _, s := range Statuses {
		n[s] = 0
	}
	for _, l := range lines {
		n[l.Status]++
	}
	return n
}

// SetPlan fills in what the summary takes from the plan a command made or
// read: its company, mode and roster, its summary and its changes.
func (s *Summary) SetPlan(p *plan.Plan) {
	s.Company, s.Mode, s.Roster, s.RosterHash = p.Company, p.Mode, p.Roster, p.RosterHash
	sum := p.Summary
	s.Plan = &sum
	s.Changes = &ChangeCounts{Planned: len(p.Changes) + p.Written()}
}

// SetResult fills in what apply wrote: the run, the changes written and
// not, and whether it rolled back. res may be nil (an apply stopped before
// it began); s.SetPlan comes first.
func (s *Summary) SetResult(res *plan.Result) {
	if res == nil {
		return
	}
	s.RunID, s.RolledBack = res.RunID, res.Rollback
	if s.Changes != nil {
		s.Changes.Applied = res.Applied
		s.Changes.NotWritten = s.Changes.Planned - res.Applied
	}
}

// Stage adds a part of the command that took d.
func (s *Summary) Stage(name string, d time.Duration) {
	s.Stages = append(s.Stages, StageTime{Name: name, DurationMS: d.Milliseconds()})
}

// WriteSummaryJSON writes s as JSON, indented, with its format version.
func WriteSummaryJSON(w io.Writer, s *Summary) error {
	out := *s
	out.Format = SummaryFormat
	if out.Stages == nil {
		out.Stages = []StageTime{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}
