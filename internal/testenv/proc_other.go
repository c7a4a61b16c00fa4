//go:build !linux

package testenv

import "os/exec"

// setDieWithParent has no portable equivalent outside Linux; call
// StopTemporal from TestMain there.
func setDieWithParent(cmd *exec.Cmd) {}
