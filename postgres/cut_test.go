package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/storetest"
)

// cutProxy is a TCP proxy between the store and the PostgreSQL server that
// can cut every connection it carries at once, as a network failure does;
// connections made after a cut are carried again.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	cuts   int
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

// cut closes every connection carried now, both sides.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
	p.cuts++
}

// through returns the connection URL u with its host and port the proxy's.
func (p *cutProxy) through(t *testing.T, u string) string {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	pu.Host = p.ln.Addr().String()
	return pu.String()
}

// exportText is what `pbxsync export` writes of a company's state: its
// numbers and its users as a roster.
func exportText(t *testing.T, s *postgres.Store) string {
	t.Helper()
	st, err := s.Load(context.Background(), storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteNumbers(&b, st); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteRoster(&b, st); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCutConnection cuts the connection between pbxsync and PostgreSQL, by
// closing it in a TCP proxy, at 20 points spread over an apply (between
// statements, just before and just after a batch's commit). After each
// cut: the run is not left "running" and its counts are those of the
// batches it committed; planning the roster again and applying it ends in
// the export of an uninterrupted apply; the cut run (and the re-run) can
// be reverted, and reverting both gives back the export from before.
func TestCutConnection(t *testing.T) {
	ctx := context.Background()
	sc := storetest.Mixed(8)
	const batchRows = 3

	ref := newFaultStore(t, sc, batchRows, 1<<30)
	beforeExport := exportText(t, ref.s)
	events := 0
	postgres.SetHook(ref.s, func(context.Context, int, int, uint32) { events++ })
	if res, err := ref.s.Apply(ctx, ref.p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("uninterrupted apply: %+v, %v", res, err)
	}
	finalExport := exportText(t, ref.s)
	const points = 20
	if events < points {
		t.Fatalf("only %d points to cut at", events)
	}
	t.Logf("%d changes, %d points to cut at", len(ref.p.Changes), events)

	direct, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < points; i++ {
		k := 1 + i*(events-1)/(points-1)
		t.Run(fmt.Sprint("cut after ", k), func(t *testing.T) {
			f := newFaultStore(t, sc, batchRows, 1<<30)
			proxy := newCutProxy(t, direct.Host)
			s, err := postgres.Open(ctx, proxy.through(t, f.url))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			s.BatchRows = batchRows
			postgres.SetSetwiseFrom(s, 1<<30)
			n := 0
			postgres.SetHook(s, func(context.Context, int, int, uint32) {
				if n++; n == k {
					proxy.cut()
				}
			})
			res, err := s.Apply(ctx, f.p, apply.Options{})
			if err == nil && k < events-1 {
				t.Errorf("the apply cut after %d of %d points succeeded", k, events)
			}
			if res == nil || res.RunID == 0 {
				t.Fatalf("a cut apply returned no run: %+v, %v", res, err)
			}
			postgres.SetHook(s, nil)
			checkNoneRunning(t, s)
			rec, err := s.Run(ctx, res.RunID)
			if err != nil {
				t.Fatal(err)
			}
			applied := 0
			for _, o := range rec.Outcomes {
				if o.Outcome == plan.ChangeApplied {
					applied++
				}
			}
			if rec.Applied != applied {
				t.Errorf("run %d counts %d changes applied, its batches recorded %d", rec.ID, rec.Applied, applied)
			}

			st, err := s.Load(ctx, storetest.Acme)
			if err != nil {
				t.Fatal(err)
			}
			p2, err := sc.Plan(st, f.rows)
			if err != nil {
				t.Fatal(err)
			}
			res2, err := s.Apply(ctx, p2, apply.Options{})
			if err != nil || len(res2.Failed) > 0 {
				t.Fatalf("re-run: %+v, %v", res2, err)
			}
			if got := exportText(t, s); got != finalExport {
				t.Fatalf("the re-run's export is not the uninterrupted apply's:\n%s\nwant\n%s", got, finalExport)
			}
			// Revert the re-run, then the cut run: the state before.
			for _, id := range []int64{res2.RunID, res.RunID} {
				if id == 0 {
					continue // the re-run had nothing to do
				}
				revertRun(t, s, id)
			}
			checkNoneRunning(t, s)
			if got := exportText(t, s); got != beforeExport {
				t.Fatalf("reverting gives:\n%s\nwant the export before:\n%s", got, beforeExport)
			}
		})
	}
}

// revertRun plans the revert of run id against the live state and applies
// it; nothing of it may be refused.
func revertRun(t *testing.T, s *postgres.Store, id int64) {
	t.Helper()
	ctx := context.Background()
	rec, err := s.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	live, err := s.Load(ctx, rec.Company)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Revert(live, rec)
	if errors.Is(err, pbx.ErrRefused) && rec.Applied == 0 {
		return // it wrote nothing
	}
	if err != nil {
		t.Fatalf("revert of run %d (%s): %v", id, rec.Outcome, err)
	}
	if p.Summary.Conflict > 0 {
		t.Fatalf("revert of run %d refuses %d row(s): %+v", id, p.Summary.Conflict, p.Rows)
	}
	if res, err := s.Apply(ctx, p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("applying the revert of run %d: %+v, %v", id, res, err)
	}
}

// checkNoneRunning fails when a run of the company is still "running".
func checkNoneRunning(t *testing.T, s *postgres.Store) {
	t.Helper()
	runs, err := s.Runs(context.Background(), storetest.Acme, 0)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, r := range runs {
		if r.Outcome == plan.RunRunning {
			bad = append(bad, fmt.Sprintf("run %d %+v", r.ID, r))
		}
	}
	if len(bad) > 0 {
		t.Errorf("runs still running: %s", strings.Join(bad, "; "))
	}
}
