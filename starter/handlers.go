package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// backend is what the intake API needs from Temporal; *requests.Requests is it.
type backend interface {
	Start(ctx context.Context, req workflows.Request) (requests.StartResult, error)
	Status(ctx context.Context, requestID string) (workflows.Status, error)
	Update(ctx context.Context, requestID, name string, a workflows.Action) (workflows.ActionResult, error)
	Signal(ctx context.Context, requestID, name string, a workflows.Action) error
	Health(ctx context.Context) error
}

// server is the HTTP intake API.
type server struct {
	b       backend
	token   string // "" = no authentication
	maxBody int64
	log     *slog.Logger
	// submitted_at bounds (intake.max_clock_skew, intake.max_backdate)
	skew, backdate time.Duration
	now            func() time.Time
}

// callTimeout bounds one Temporal call made for an HTTP request.
const callTimeout = 30 * time.Second

// errorBody is every error answer: one line, plus each problem for a 400.
type errorBody struct {
	Error    string   `json:"error"`
	Problems []string `json:"problems,omitempty"`
}

// routes are the API's paths; every answer, errors included, is JSON.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	route := func(path string, methods map[string]http.HandlerFunc) {
		var allowed []string
		for m, h := range methods {
			allowed = append(allowed, m)
			mux.Handle(m+" "+path, h)
		}
		slices.Sort(allowed)
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: fmt.Sprintf("method %s not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, " or "))})
		})
	}
	route("/healthz", map[string]http.HandlerFunc{"GET": s.healthz})
	route("/requests", map[string]http.HandlerFunc{"POST": s.auth(jsonBody(s.createRequest))})
	route("/requests/{id}", map[string]http.HandlerFunc{"GET": s.auth(s.getRequest)})
	route("/requests/{id}/actions/{action}", map[string]http.HandlerFunc{"POST": s.auth(jsonBody(s.postAction))})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such path " + r.URL.Path + "; see POST /requests, GET /requests/{id}, POST /requests/{id}/actions/{action}"})
	})
	return s.accessLog(mux)
}

// clock is the intake's now.
func (s *server) clock() time.Time {
	if s.now == nil {
		return time.Now()
	}
	return s.now()
}

// jsonBody refuses a body that is not application/json (415): a browser
// form or text/plain POST cannot reach the API from another site.
func jsonBody(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			got := r.Header.Get("Content-Type")
			if got == "" {
				got = "none"
			}
			writeJSON(w, http.StatusUnsupportedMediaType, errorBody{Error: "Content-Type: must be application/json (got " + cli.OneLine(got) + ")"})
			return
		}
		next(w, r)
	}
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.b.Health(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "temporal: " + cli.OneLine(err.Error())})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) createRequest(w http.ResponseWriter, r *http.Request) {
	// Read the whole body first so an oversized one is always a 413.
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		s.badBody(w, err)
		return
	}
	req, err := workflows.DecodeRequestAt(bytes.NewReader(data), s.clock(), s.skew, s.backdate)
	if err != nil {
		s.badBody(w, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	res, err := s.b.Start(ctx, req)
	if err != nil {
		s.callFailed(w, r, err)
		return
	}
	code := http.StatusOK
	if res.Created {
		code = http.StatusCreated
	}
	w.Header().Set("Location", "/requests/"+req.RequestID)
	writeJSON(w, code, res)
}

func (s *server) getRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := pathRequestID(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	st, err := s.b.Status(ctx, id)
	if err != nil {
		s.callFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// actionAccepted is the answer to an action sent as a signal.
type actionAccepted struct {
	WorkflowID string `json:"workflow_id"`
	Action     string `json:"action"`
	ActionID   string `json:"action_id,omitempty"`
	Result     string `json:"result"` // "signalled"
}

func (s *server) postAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathRequestID(w, r)
	if !ok {
		return
	}
	name := strings.ReplaceAll(r.PathValue("action"), "-", "_")
	if !workflows.ValidActionName(name) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: fmt.Sprintf("unknown action %q; actions: %s", r.PathValue("action"), strings.Join(workflows.ActionNames, ", "))})
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		s.badBody(w, err)
		return
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		data = []byte("{}")
	}
	a, err := workflows.DecodeAction(name, data)
	if err != nil {
		s.badBody(w, err)
		return
	}
	if err := idempotencyKey(r, name, &a); err != nil {
		s.badBody(w, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	if async(r) {
		if err := s.b.Signal(ctx, id, name, a); err != nil {
			s.callFailed(w, r, err)
			return
		}
		writeJSON(w, http.StatusAccepted, actionAccepted{WorkflowID: workflows.WorkflowID(id), Action: name, ActionID: a.ActionID, Result: "signalled"})
		return
	}
	res, err := s.b.Update(ctx, id, name, a)
	if err != nil {
		s.callFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// idempotencyKey makes the Idempotency-Key header the action_id when the
// body has none; a header that names another action_id is refused.
func idempotencyKey(r *http.Request, name string, a *workflows.Action) error {
	key := r.Header.Get("Idempotency-Key")
	switch {
	case key == "" || key == a.ActionID:
		return nil
	case a.ActionID != "":
		return &workflows.InputError{Problems: []string{fmt.Sprintf("Idempotency-Key: %q differs from the body's action_id %q", clipHeader(key), a.ActionID)}}
	}
	a.ActionID = key
	if err := a.Validate(name); err != nil {
		return &workflows.InputError{Problems: []string{"Idempotency-Key: " + strings.TrimPrefix(err.Error(), "action_id: ")}}
	}
	return nil
}

func clipHeader(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// async reports whether the caller asked for a signal (?async=1|true).
func async(r *http.Request) bool {
	switch r.URL.Query().Get("async") {
	case "1", "true", "yes":
		return true
	}
	return false
}

// pathRequestID accepts both "42" and "sr-42" as {id}.
func pathRequestID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id, err := requests.RequestIDArg(r.PathValue("id"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error(), Problems: []string{err.Error()}})
		return "", false
	}
	return id, true
}

// badBody answers a body that is too large (413) or invalid (400, every
// problem listed).
func (s *server) badBody(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: fmt.Sprintf("body larger than %d bytes", tooBig.Limit)})
		return
	}
	writeJSON(w, http.StatusBadRequest, errorBody{Error: cli.OneLine(err.Error()), Problems: problems(err)})
}

// problems splits a validation error into its problems ("; "-separated).
func problems(err error) []string {
	var in *workflows.InputError
	if errors.As(err, &in) {
		return in.Problems
	}
	var out []string
	for _, p := range strings.Split(cli.OneLine(err.Error()), "; ") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// callFailed maps a Temporal call failure to a status code.
func (s *server) callFailed(w http.ResponseWriter, r *http.Request, err error) {
	var nf *requests.NotFoundError
	var rej *requests.RejectedError
	var slow *requests.NoAnswerError
	switch {
	case errors.As(err, &nf):
		writeJSON(w, http.StatusNotFound, errorBody{Error: nf.Error()})
	case errors.As(err, &rej):
		writeJSON(w, http.StatusConflict, errorBody{Error: rej.Reason})
	case errors.As(err, &slow):
		writeJSON(w, http.StatusGatewayTimeout, errorBody{Error: slow.Msg})
	case errors.Is(err, context.DeadlineExceeded):
		writeJSON(w, http.StatusGatewayTimeout, errorBody{Error: "temporal did not answer in time"})
	default:
		s.log.Error("temporal call failed", "method", r.Method, "path", r.URL.Path, "err", cli.OneLine(err.Error()))
		writeJSON(w, http.StatusBadGateway, errorBody{Error: cli.OneLine(err.Error())})
	}
}

// auth requires "Authorization: Bearer <token>" when a token is configured.
// Both sides are hashed first so the comparison takes the same time
// whatever the length or content of the presented token.
func (s *server) auth(next http.HandlerFunc) http.HandlerFunc {
	if s.token == "" {
		return next
	}
	want := sha256.Sum256([]byte(s.token))
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := bearer(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="svcflow"`)
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: "missing or wrong bearer token"})
			return
		}
		next.ServeHTTP(w, r)
	}
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}

// statusRecorder remembers the status code and size of an answer.
type statusRecorder struct {
	http.ResponseWriter
	code  int
	bytes int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// accessLog logs one line per request: never headers, so never the token.
func (s *server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		s.log.Info("http", "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery,
			"status", rec.code, "bytes", rec.bytes, "duration", time.Since(start).Round(time.Microsecond), "remote", r.RemoteAddr)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = cli.PrintJSON(w, v)
}
