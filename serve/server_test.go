package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/models"
)

// TestParseStateErrors wants every bad parameter refused with a message
// that names it, and no run started.
func TestParseStateErrors(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		{"view=nope", "view must be one of surface, fit, rates"},
		{"view=surface&steps=0", "steps must be an integer in [1, 10000]"},
		{"view=surface&steps=10001", "steps must be an integer in [1, 10000]"},
		{"view=surface&grid=100000", "grid must be an integer in [11, 201]"},
		{"view=surface&obj=everest", "obj must be one of hills, rosenbrock, bowl, saddle, beale"},
		{"view=surface&obj=hills&cond=3", "cond applies to the bowl only"},
		{"view=surface&obj=bowl&cond=0.5", "cond must be a number in [1, 1000]"},
		{"view=surface&start=1", "start must be two numbers x,y"},
		{"view=surface&start=NaN,1", "start must be two numbers x,y"},
		{"view=surface&start=1e300,0", "start must be two numbers x,y"},
		{"view=surface&p=sgd", `optimizer "sgd" is not one of`},
		{"view=surface&p=adam,lr=-1", "lr must be > 0"},
		{"view=surface&p=adam,beta1=1.2", "beta1"},
		{"view=surface&p=gd,momentum=0.9", "option momentum does not apply to gd"},
		{"view=surface&p=adam,lr=0.1,lr=0.2", "option lr is given twice"},
		{"view=surface&p=adam,schedule=cosine:0", "cosine period T must be >= 1"},
		{"view=surface&p=adam,clip-norm=0", "clip-norm"},
		{"view=surface&p=adam&p=adam&p=adam&p=adam&p=adam&p=adam&p=adam", "at most 6 paths"},
		{"view=surface&sel=4", "sel must be a path index in [0, 2]"},
		{"view=surface&speed=1e9", "speed must be a number in [0.1, 2000]"},
		{"view=surface&epochs=3", `the surface view takes no parameter "epochs"`},
		{"view=surface&steps=1&steps=2", "parameter steps is given 2 times"},
		{"view=fit&data=mnist", "data must be one of line, noisy-line, salary, parabola, iris"},
		{"view=fit&data=line&model=softmax", "model must be one of linear, poly"},
		{"view=fit&data=iris&model=linear", "model must be one of logistic, softmax"},
		{"view=fit&data=iris&fx=petal_width&fy=petal_width", "fx and fy must be two different columns"},
		{"view=fit&data=line&cls=1", "cls applies to iris only"},
		{"view=fit&data=parabola&deg=9", "deg must be an integer in [1, 8]"},
		{"view=fit&epochs=5001", "epochs must be an integer in [1, 5000]"},
		{"view=fit&std=maybe", "std must be 1 or 0"},
		{"view=fit&data=iris&start=1,2", "start applies to a model with 2 parameter values"},
		{"view=fit&opt=adam,eps=0", "eps"},
		{"view=rates&lrs=0.1,0.1", "lrs has 0.1 twice"},
		{"view=rates&lrs=0,1", "lrs must be learning rates in (0, 1e6]"},
		{"view=rates&lrs=1,2,3,4,5,6,7", "at most 6 learning rates"},
		{"view=rates&opt=adam,lr=0.1", "give the learning rates in lrs"},
		{"view=rates&obj=hills&data=line", "data applies to a dataset, not to the objective hills"},
		{"view=rates&steps=5", "steps applies to an objective"},
	} {
		q, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseState(q)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "serve: ") {
			t.Errorf("%s: error %v, want one containing %q", c.query, err, c.want)
		}
	}
}

// TestParseStateDefaults checks the defaults each view fills in.
func TestParseStateDefaults(t *testing.T) {
	s, err := ParseState(url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if s.View != "surface" || s.Surface.Objective != "hills" || len(s.Surface.Paths) != 3 || s.Surface.Steps != 300 || s.Speed != 20 {
		t.Errorf("default state %+v %+v", s, s.Surface)
	}
	f, err := ParseState(url.Values{"view": {"fit"}, "data": {"parabola"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := f.Fit; d.Model != "poly" || d.Degree != 2 || !d.Standardize || d.Opt.Spec != "gd,lr=0.1" {
		t.Errorf("parabola defaults %+v", d)
	}
}

// TestServeRefusesWorkOverCaps checks that a data run over the step cap or
// with a batch larger than the data is a problem event, not a run.
func TestServeRefusesWorkOverCaps(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, c := range []struct{ query, want string }{
		{"view=fit&data=iris&batch=1&epochs=200", "at most 20000"},
		{"view=fit&data=line&batch=6", "batch must be at most the 5 rows"},
		{"view=surface&p=adam,lr=abc", "option lr must be a finite number"},
	} {
		cl := open(t, ts, c.query, "")
		if b := string(cl.expect("problem")); !strings.Contains(b, c.want) {
			t.Errorf("%s: %s, want %q", c.query, b, c.want)
		}
	}
}

// TestSessionCaps checks the per-session and server caps, and that a new
// stream of the same view replaces the old one.
func TestSessionCaps(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 2, MaxRunsPerSession: 1})
	a := open(t, ts, "view=surface&steps=5", "tab-a")
	a.start()
	b := open(t, ts, "view=fit", "tab-a")
	if msg := string(b.expect("problem")); !strings.Contains(msg, "session already has 1 runs open") {
		t.Errorf("second view in one session: %s", msg)
	}
	a2 := open(t, ts, "view=surface&steps=6", "tab-a") // replaces a
	a2.start()
	if ev, ok := a.next(); ok {
		t.Errorf("the replaced stream goes on: %s %s", ev.name, ev.data)
	}
	c := open(t, ts, "view=surface", "tab-c")
	c.start()
	d := open(t, ts, "view=surface", "tab-d")
	if msg := string(d.expect("problem")); !strings.Contains(msg, "the server is running 2 views") {
		t.Errorf("over the server cap: %s", msg)
	}
	if n := s.Runs(); n != 2 {
		t.Errorf("%d runs, want 2", n)
	}
	a2.close()
	c.close()
	waitRuns(t, s, 0)
}

func waitRuns(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.Runs() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d runs still open, want %d", s.Runs(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestIdleRunStops checks that a run without commands is stopped.
func TestIdleRunStops(t *testing.T) {
	s, ts := newTestServer(t, Options{Idle: 50 * time.Millisecond})
	cl := open(t, ts, "view=surface", "")
	cl.start()
	if msg := string(cl.expect("problem")); !strings.Contains(msg, "without a command") {
		t.Errorf("idle: %s", msg)
	}
	waitRuns(t, s, 0)
}

// TestControlErrors checks the control endpoint's answers.
func TestControlErrors(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	cl := open(t, ts, "view=surface", "")
	cl.start()
	for _, c := range []struct {
		form url.Values
		code int
		want string
	}{
		{url.Values{"run": {"nope"}, "cmd": {"step"}}, 404, "no such run"},
		{url.Values{"run": {cl.run}, "cmd": {"jump"}}, 400, "cmd must be play, pause, step or speed"},
		{url.Values{"run": {cl.run}, "cmd": {"step"}, "n": {"0"}}, 400, "n must be an integer in [1, 10000]"},
		{url.Values{"run": {cl.run}, "cmd": {"speed"}, "speed": {"Inf"}}, 400, "speed must be"},
		{url.Values{"run": {cl.run}, "cmd": {"pause"}}, 200, "ok"},
	} {
		code, body := post(t, ts, c.form)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%v: %d %s, want %d %q", c.form, code, body, c.code, c.want)
		}
	}
}

// TestAbandonedRunIsFreed checks that closing the page stops its run.
func TestAbandonedRunIsFreed(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	cl := open(t, ts, "view=fit&data=iris", "")
	cl.start()
	if s.Runs() != 1 {
		t.Fatalf("%d runs", s.Runs())
	}
	cl.close()
	waitRuns(t, s, 0)
}

// TestPlaying checks that play streams frames by itself to the end.
func TestPlaying(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	cl := open(t, ts, "view=surface&obj=bowl&steps=40&speed=2000", "")
	cl.start()
	if code, body := post(t, ts, url.Values{"run": {cl.run}, "cmd": {"play"}}); code != 200 {
		t.Fatal(body)
	}
	frames := 0
	for {
		ev, ok := cl.next()
		if !ok {
			t.Fatal("stream ended before done")
		}
		if ev.name == "done" {
			break
		}
		frames++
	}
	if frames < 2 {
		t.Errorf("%d frames while playing", frames)
	}
}

// TestStaticNoTraversal asks for files outside the assets in every way a
// path can be bent, and wants 404 or the mux's redirect to the cleaned
// path (which stays inside the served tree), never a file.
func TestStaticNoTraversal(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, p := range []string{
		"/assets/../server.go", "/assets/..%2fserver.go", "/assets/%2e%2e/server.go", "/assets/%2e%2e%2fserver.go",
		"/assets/..\\server.go", "/assets/vendor/../../server.go", "/assets//etc/passwd", "/assets/vendor/update.sh",
		"/assets/", "/assets/vendor", "/server.go", "/../../etc/passwd", "/assets/./index.html", "/assets/%00",
	} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(conn, "GET "+p+" HTTP/1.0\r\n\r\n")
		b, _ := io.ReadAll(conn)
		conn.Close()
		resp := string(b)
		status := strings.SplitN(resp, "\r\n", 2)[0]
		if strings.Contains(resp, "package serve") || strings.Contains(resp, "root:") || strings.Contains(resp, "#!/bin/sh") ||
			!(strings.Contains(status, " 404 ") || strings.Contains(status, " 301 ") || strings.Contains(status, " 307 ") || strings.Contains(status, " 400 ")) {
			t.Errorf("GET %s: %s", p, status)
		}
	}
	for _, c := range []struct{ path, ctype string }{
		{"/", "text/html"}, {"/assets/app.js", "javascript"}, {"/assets/style.css", "text/css"}, {"/assets/vendor/plotly.min.js", "javascript"},
	} {
		resp, err := http.Get(ts.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("GET %s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// TestVendoredPlotly checks the embedded bundle against the version file
// update.sh wrote.
func TestVendoredPlotly(t *testing.T) {
	b, err := assets.ReadFile("assets/vendor/plotly.min.js")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := assets.ReadFile("assets/vendor/PLOTLY_VERSION")
	sum := sha256.Sum256(b)
	if !strings.Contains(string(v), "sha256 "+hex.EncodeToString(sum[:])) {
		t.Errorf("plotly.min.js sha256 %x is not the one in PLOTLY_VERSION:\n%s", sum, v)
	}
	if !strings.Contains(string(b[:200]), "plotly.js v"+strings.Fields(string(v))[1]) {
		t.Errorf("the bundle's header is not version %s", strings.Fields(string(v))[1])
	}
}

// TestGracefulShutdown serves on a real listener, opens a stream, cancels
// the context (as Ctrl-C does) and wants Serve to return nil promptly,
// with the stream ended and the run freed.
func TestGracefulShutdown(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, "127.0.0.1:0", func(u string) { urls <- u }) }()
	base := <-urls
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("url %s", base)
	}
	resp, err := http.Get(base + "api/stream?view=surface")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("Serve did not return after the context was cancelled")
	}
	_, _ = io.ReadAll(resp.Body) // the stream has ended
	if s.Runs() != 0 {
		t.Errorf("%d runs left", s.Runs())
	}
}

// TestObjectiveMinima checks the catalog: at every listed point the
// engine's gradient vanishes and f is the listed value.
func TestObjectiveMinima(t *testing.T) {
	for _, o := range objectives {
		m, err := objectiveModel(o.Name, 10)
		if err != nil {
			t.Fatal(err)
		}
		e, err := models.Problem{Model: m}.Engine(graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range o.Minima {
			_ = e.SetParams(map[string][]float64{"x": {p.X}, "y": {p.Y}})
			f, err := e.Step(nil, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			g := e.Grads()
			if d := f - p.F; d > 1e-6 || d < -1e-6 || abs(g["x"][0]) > 1e-5 || abs(g["y"][0]) > 1e-5 {
				t.Errorf("%s %s (%v, %v): f %v (listed %v), ∇f (%v, %v)", o.Name, p.Kind, p.X, p.Y, f, p.F, g["x"][0], g["y"][0])
			}
		}
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// FuzzParseState feeds arbitrary query strings to the parser: it must
// never panic, and a state it accepts must parse again the same way.
func FuzzParseState(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s, err := ParseState(q)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "serve: ") {
				t.Errorf("error without prefix: %v", err)
			}
			return
		}
		if s.paths() < 1 || s.paths() > MaxPaths {
			t.Errorf("%d paths", s.paths())
		}
	})
}
