package bench

import (
	"time"

	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/plan"
)

// Stage is one timed part of a run with the memory it took.
type Stage struct {
	Name     string        `json:"name"`
	Wall     time.Duration `json:"wall_ns"`
	Rows     int           `json:"rows"`            // roster rows, or objects for a load
	CPU      time.Duration `json:"cpu_ns"`          // user + system CPU time of this process (not the database server's)
	PeakHeap uint64        `json:"peak_heap_bytes"` // sampled peak of the live Go heap
	HeapSys  uint64        `json:"heap_sys_bytes"`  // Go heap reserved from the OS at the end
	PeakRSS  int64         `json:"peak_rss_bytes"`  // VmHWM during the stage; -1 unknown
}

// RowsPerSec is Rows over Wall.
func (s Stage) RowsPerSec() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(s.Rows) / s.Wall.Seconds()
}

// Step is one statement of the floor.
type Step struct {
	What string        `json:"what"`
	Rows int           `json:"rows"`
	Wall time.Duration `json:"wall_ns"`
}

// Floor is the database's own fastest path for the rows a plan writes: COPY
// for new rows, COPY into a temporary table and one UPDATE ... FROM (or
// DELETE ... USING) for changed ones, in one transaction that is rolled back.
type Floor struct {
	Wall   time.Duration `json:"wall_ns"` // begin to the last statement (rollback not counted)
	Rows   int           `json:"rows"`    // table rows written
	Steps  []Step        `json:"steps"`
	Vacuum time.Duration `json:"vacuum_ns"` // VACUUM after the rollback, outside every figure
}

// Load compares the store's load of the company with a plain scan of the
// same columns and rows, and shows a plain scan of every user and number.
type Load struct {
	Store Stage   `json:"store"` // Store.Load of the company (the faster of two)
	Plain Stage   `json:"plain"` // a plain scan of the same columns of the same rows (the faster of two)
	Ratio float64 `json:"ratio"` // Store / Plain
	Full  Stage   `json:"full"`  // a plain scan of all users and numbers (every company)
}

// Result is what one benchmark run measured.
type Result struct {
	Store   string     `json:"store"` // "postgres" or "sqlite"
	Company string     `json:"company"`
	Mode    plan.Mode  `json:"mode"`
	Roster  string     `json:"roster"` // the roster file
	Expect  gen.Expect `json:"expect"`

	Generate Stage `json:"generate"` // making and writing the roster (not part of the run)
	Load     Load  `json:"load"`

	// Stages of the run, as the CLI's apply does them: the parts of
	// importer.Plan (load, validate, plan), importer.Apply, the report file.
	Stages   []Stage `json:"stages"`
	EndToEnd Stage   `json:"end_to_end"`

	Summary     plan.Summary        `json:"summary"`
	Statuses    map[plan.Status]int `json:"statuses"`
	Changes     int                 `json:"changes"`
	Applied     int                 `json:"applied"`
	RunID       int64               `json:"run_id"`
	Report      string              `json:"report"`
	ReportLines int                 `json:"report_lines"`

	Floor *Floor  `json:"floor,omitempty"` // PostgreSQL only
	Ratio float64 `json:"ratio,omitempty"` // EndToEnd over Floor

	// Resync plans and applies the same roster again, which must change
	// nothing, as the CLI does: the unchanged-roster fast path answers when
	// the store knows the company is as the run left it (then
	// ResyncUnchangedSince is that run). ResyncFull does it with --full:
	// every row read, checked and planned.
	Resync               Stage `json:"resync"`
	ResyncChanges        int   `json:"resync_changes"`
	ResyncUnchangedSince int64 `json:"resync_unchanged_since_run,omitempty"`
	ResyncFull           Stage `json:"resync_full"`
	ResyncFullChanges    int   `json:"resync_full_changes"`

	PeakRSS  int64 `json:"peak_rss_bytes"` // the largest peak RSS of any stage of the run (roster generation excluded)
	RSSReset bool  `json:"rss_reset"`      // peak RSS was reset per stage
}
