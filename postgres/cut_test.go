package postgres_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
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
	beforeExport := storetest.ExportText(t, ref.s, storetest.Acme)
	events := 0
	postgres.SetHook(ref.s, func(context.Context, int, int, uint32) { events++ })
	if res, err := ref.s.Apply(ctx, ref.p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("uninterrupted apply: %+v, %v", res, err)
	}
	finalExport := storetest.ExportText(t, ref.s, storetest.Acme)
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
			storetest.NoneRunning(t, s, storetest.Acme)
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

			replan := func(st *pbx.State) (*plan.Plan, error) { return sc.Plan(st, f.rows) }
			storetest.RerunAndRevert(t, s, replan, res.RunID, finalExport, beforeExport)
		})
	}
}
