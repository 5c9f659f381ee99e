package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// DefaultAddr is where Serve listens unless told otherwise: the loopback
// interface only, so the playground is not reachable from other machines
// unless an address is given.
const DefaultAddr = "127.0.0.1:8080"

// Options tune a Server. The zero value is the default.
type Options struct {
	// MaxRuns caps the views running at once on the server; 0 is 64.
	MaxRuns int
	// MaxRunsPerSession caps the views one session (a browser tab) runs at
	// once; 0 is 3, one per view.
	MaxRunsPerSession int
	// Idle stops a run that has had no command for this long; 0 is 10
	// minutes.
	Idle time.Duration
	// Frame is the interval between frames while playing; 0 is 1/30 s.
	Frame time.Duration
}

func (o Options) withDefaults() Options {
	if o.MaxRuns == 0 {
		o.MaxRuns = 64
	}
	if o.MaxRunsPerSession == 0 {
		o.MaxRunsPerSession = 3
	}
	if o.Idle == 0 {
		o.Idle = 10 * time.Minute
	}
	if o.Frame == 0 {
		o.Frame = time.Second / 30
	}
	return o
}

// Server is the playground: the page, its assets and the API that streams
// the views' runs.
type Server struct {
	opts Options
	hub  *hub
	mux  *http.ServeMux
}

// New returns a Server; it checks the options and starts nothing.
func New(opts Options) (*Server, error) {
	if opts.MaxRuns < 0 || opts.MaxRunsPerSession < 0 || opts.Idle < 0 || opts.Frame < 0 {
		return nil, fmt.Errorf("serve: options must be >= 0 (0 is the default), got MaxRuns %d, MaxRunsPerSession %d, Idle %v, Frame %v",
			opts.MaxRuns, opts.MaxRunsPerSession, opts.Idle, opts.Frame)
	}
	opts = opts.withDefaults()
	s := &Server{opts: opts, hub: newHub(opts.MaxRuns, opts.MaxRunsPerSession), mux: http.NewServeMux()}
	s.mux.Handle("/", staticFiles())
	s.mux.HandleFunc("GET /api/stream", s.stream)
	s.mux.HandleFunc("POST /api/control", s.control)
	s.mux.HandleFunc("GET /api/check", s.check)
	s.mux.HandleFunc("GET /api/info", s.info)
	return s, nil
}

// Handler returns the playground's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Runs is the number of views running now.
func (s *Server) Runs() int { return s.hub.count() }

// Serve serves the playground on l until ctx is cancelled, then shuts
// down gracefully: it stops accepting, stops every run (their streams
// end) and waits up to 5 seconds for the open requests to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs := &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return base }}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cancel() // ends every stream's request context, so its run stops
	sctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ListenAndServe listens on addr (DefaultAddr when "") and serves until
// ctx is cancelled. ready, when set, is called with the page's URL once
// the listener is open.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(url string)) error {
	if addr == "" {
		addr = DefaultAddr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if ready != nil {
		ready("http://" + l.Addr().String() + "/")
	}
	return s.Serve(ctx, l)
}

// writeJSON writes v with the status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// check validates a view's state without running it: {"ok": true} or
// {"error": "..."} with status 400.
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Del("sid")
	if _, err := ParseState(q); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// info lists the objectives, datasets, optimizers (with their options and
// defaults) and caps, for the page's menus.
func (s *Server) info(w http.ResponseWriter, _ *http.Request) {
	var ds []string
	for _, d := range datasets {
		ds = append(ds, d.name)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"objectives": objectives, "datasets": ds, "optimizers": optimizerInfo(), "iris_features": irisFeatures,
		"caps": map[string]int{"steps": MaxSteps, "paths": MaxPaths, "grid": MaxGrid, "epochs": MaxEpochs,
			"data_steps": MaxDataStep, "speed": MaxSpeed, "poly": MaxPoly, "cond": MaxCond},
	})
}

var sidPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// control steers a running view: cmd=play, pause, step (n steps, 1 by
// default) or speed (steps per second).
func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "serve: " + err.Error()})
		return
	}
	run := s.hub.get(r.Form.Get("run"))
	if run == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "serve: no such run (it has ended or was replaced); press reset"})
		return
	}
	c := control{cmd: r.Form.Get("cmd"), n: 1}
	var err error
	switch c.cmd {
	case "play", "pause":
	case "step":
		if v := r.Form.Get("n"); v != "" {
			if c.n, err = strconv.Atoi(v); err != nil || c.n < 1 || c.n > MaxSteps {
				err = fmt.Errorf("serve: n must be an integer in [1, %d], got %q", MaxSteps, v)
			}
		}
	case "speed":
		v := r.Form.Get("speed")
		c.speed, err = finite(v)
		if err != nil || c.speed < 0.1 || c.speed > MaxSpeed {
			err = fmt.Errorf("serve: speed must be a number of steps per second in [0.1, %d], got %q", MaxSpeed, v)
		}
	default:
		err = fmt.Errorf("serve: cmd must be play, pause, step or speed, got %q", c.cmd)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	select {
	case run.ctl <- c:
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	default:
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "serve: the run is busy; slow down"})
	}
}
