package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	name string
	data []byte
}

// client reads a stream from a test server and steers it.
type client struct {
	t      *testing.T
	srv    *httptest.Server
	resp   *http.Response
	sc     *bufio.Scanner
	cancel context.CancelFunc
	run    string
	setup  json.RawMessage
}

func newTestServer(t *testing.T, o Options) (*Server, *httptest.Server) {
	t.Helper()
	if o.Frame == 0 {
		o.Frame = time.Millisecond
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// open starts a stream for the query (sid added when given).
func open(t *testing.T, ts *httptest.Server, query, sid string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	u := ts.URL + "/api/stream?" + query
	if sid != "" {
		u += "&sid=" + sid
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	c := &client{t: t, srv: ts, resp: resp, sc: sc, cancel: cancel}
	t.Cleanup(c.close)
	return c
}

func (c *client) close() {
	c.cancel()
	c.resp.Body.Close()
}

// next reads the next event; ok is false at the end of the stream.
func (c *client) next() (sseEvent, bool) {
	var ev sseEvent
	for c.sc.Scan() {
		line := c.sc.Text()
		switch {
		case line == "":
			if ev.name != "" {
				return ev, true
			}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = []byte(strings.TrimPrefix(line, "data: "))
		}
	}
	return ev, false
}

// expect reads the next event and wants it to be name.
func (c *client) expect(name string) []byte {
	c.t.Helper()
	ev, ok := c.next()
	if !ok {
		c.t.Fatalf("stream ended, want event %s", name)
	}
	if ev.name != name {
		c.t.Fatalf("event %s (%s), want %s", ev.name, ev.data, name)
	}
	return ev.data
}

// start reads the setup and the first frame.
func (c *client) start() *wireFrame {
	c.t.Helper()
	var s struct {
		Run   string          `json:"run"`
		Setup json.RawMessage `json:"setup"`
	}
	if err := json.Unmarshal(c.expect("setup"), &s); err != nil {
		c.t.Fatal(err)
	}
	c.run, c.setup = s.Run, s.Setup
	return c.frame()
}

func (c *client) frame() *wireFrame {
	c.t.Helper()
	var f wireFrame
	if err := json.Unmarshal(c.expect("frame"), &f); err != nil {
		c.t.Fatal(err)
	}
	return &f
}

// post sends a control command and returns the status code and body.
func post(t *testing.T, ts *httptest.Server, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(ts.URL+"/api/control", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&b)
	return resp.StatusCode, b.String()
}

// step asks for n steps and returns the frame.
func (c *client) step(n int) *wireFrame {
	c.t.Helper()
	if code, body := post(c.t, c.srv, url.Values{"run": {c.run}, "cmd": {"step"}, "n": {fmt.Sprint(n)}}); code != 200 {
		c.t.Fatalf("step: %d %s", code, body)
	}
	return c.frame()
}

// wire types: the stream decoded as the page decodes it.
type wireRow struct {
	K     int       `json:"k"`
	Epoch int       `json:"epoch"`
	P     []wireNum `json:"p"`
	F     wireNum   `json:"f"`
	G     []wireNum `json:"g"`
	LR    wireNum   `json:"lr"`
}

type wireEvent struct {
	Upd *struct {
		K int         `json:"k"`
		U [][]wireNum `json:"u"`
	} `json:"upd"`
	Row   *wireRow `json:"row"`
	Epoch *struct {
		Epoch int     `json:"epoch"`
		Steps int     `json:"steps"`
		Loss  wireNum `json:"loss"`
	} `json:"epoch"`
	End *struct {
		Status       string    `json:"status"`
		Steps        int       `json:"steps"`
		Epochs       int       `json:"epochs"`
		Loss         wireNum   `json:"loss"`
		End          []wireNum `json:"end"`
		DivergedStep int       `json:"diverged_step"`
	} `json:"end"`
}

type wireFrame struct {
	Paths []struct {
		I      int         `json:"i"`
		Events []wireEvent `json:"ev"`
		Status struct {
			State string  `json:"state"`
			Step  int     `json:"step"`
			F     wireNum `json:"f"`
			Label string  `json:"label"`
		} `json:"status"`
	} `json:"paths"`
	Done bool `json:"done"`
}

// wireNum reads a num back: a JSON number or "NaN"/"Infinity"/"-Infinity".
type wireNum float64

func (w *wireNum) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*w = wireNum(math.NaN())
	case `"Infinity"`:
		*w = wireNum(math.Inf(1))
	case `"-Infinity"`:
		*w = wireNum(math.Inf(-1))
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*w = wireNum(v)
	}
	return nil
}

// pathLog is everything one path streamed.
type pathLog struct {
	rows   []wireRow
	upd    map[int][][]wireNum
	epochs []float64
	end    *wireEvent
}

// collect steps the stream to its end and gathers every path's events.
func (c *client) collect(first *wireFrame, n int) []*pathLog {
	c.t.Helper()
	var logs []*pathLog
	add := func(f *wireFrame) {
		for _, pf := range f.Paths {
			for len(logs) <= pf.I {
				logs = append(logs, &pathLog{upd: map[int][][]wireNum{}})
			}
			l := logs[pf.I]
			for _, ev := range pf.Events {
				if ev.Upd != nil {
					l.upd[ev.Upd.K] = ev.Upd.U
				}
				if ev.Row != nil {
					if ev.Row.K != len(l.rows) {
						c.t.Fatalf("path %d: row %d after %d rows", pf.I, ev.Row.K, len(l.rows))
					}
					l.rows = append(l.rows, *ev.Row)
				}
				if ev.Epoch != nil {
					l.epochs = append(l.epochs, float64(ev.Epoch.Loss))
				}
				if ev.End != nil {
					e := ev
					l.end = &e
				}
			}
		}
	}
	add(first)
	for f := first; !f.Done; {
		f = c.step(n)
		add(f)
	}
	c.expect("done")
	return logs
}

// same reports whether two float64s are the same number (NaN equal to NaN).
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
