package testenv

import (
	"os/exec"
	"syscall"
)

// setDieWithParent kills the child when the test binary dies, so a timed-out
// or crashed test run never leaves a dev server behind.
func setDieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
