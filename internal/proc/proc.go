// Package proc runs programs as child processes that die with their parent:
// start one with its output appended to a log file, wait for its health
// URL, stop or kill it, read its RSS and CPU time (usage.go), or run one to
// completion (run.go). The Temporal cluster (internal/cluster) and the test
// stack (internal/testenv) use it.
package proc

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Proc is a running program whose output goes to a log file.
type Proc struct {
	Name string
	Log  string // path of the combined stdout/stderr log
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// Start runs bin with args and env (the full environment), appending its
// output to logPath. The child dies with the parent (Pdeathsig) and runs
// in its own process group.
func Start(name, bin string, args, env []string, logPath string) (*Proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("start %s: log: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Proc{Name: name, Log: logPath, cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); logf.Close(); close(p.done) }()
	return p, nil
}

// Pid is the process ID.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Done is closed when the process has ended.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Wait waits for the process to end and returns its exit error.
func (p *Proc) Wait() error { <-p.done; return p.err }

// Kill sends SIGKILL and waits for the process.
func (p *Proc) Kill() {
	if !p.Exited() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// Stop sends SIGTERM and waits up to limit, then kills. It reports whether
// the process stopped on its own.
func (p *Proc) Stop(limit time.Duration) bool {
	if p.Exited() {
		return true
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return true
	case <-time.After(limit):
		p.Kill()
		return false
	}
}

// WaitHTTP polls url until it answers 200, the process exits, or limit.
func (p *Proc) WaitHTTP(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := http.Client{Timeout: 5 * time.Second}
	var last error
	for {
		if p.Exited() {
			return fmt.Errorf("%s exited (%v) before %s answered: %s", p.Name, p.err, url, LastLine(p.Log))
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %s not healthy within %s (last: %v; log %s)", p.Name, url, limit, last, p.Log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Tail returns the last n bytes of a file.
func Tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// LastLine is the last non-empty line of a file (shortened), to name why a
// program ended.
func LastLine(path string) string {
	lines := strings.Split(strings.TrimSpace(Tail(path, 4096)), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(last) > 300 {
		last = last[:300] + "…"
	}
	return last
}

// FreePort returns a TCP port free on 127.0.0.1 at the time of the call.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
