package apply

import (
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// LockedError is an apply refused because another run holds the company.
// It wraps pbx.ErrLocked.
type LockedError struct {
	Company string
	Run     int64     // the holder's run
	Since   time.Time // when it started
	Who     string
	Host    string
	PID     int
	Roster  string
	Waited  time.Duration
}

func (e *LockedError) Error() string {
	since := e.Since.Local().Format("15:04")
	if time.Since(e.Since) > 20*time.Hour {
		since = e.Since.Local().Format("2006-01-02 15:04")
	}
	who := fmt.Sprintf("pid %d on %s", e.PID, e.Host)
	if e.Who != "" {
		who = e.Who + ", " + who
	}
	return fmt.Sprintf("company %s is being applied by run %d since %s (%s); gave up after waiting %s: "+
		"wait for it to finish, then try again (`pbxsync runs --company %s` lists the runs)",
		e.Company, e.Run, since, who, e.Waited, e.Company)
}

func (e *LockedError) Unwrap() error { return pbx.ErrLocked }
