package cluster

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
)

// Free ports for the services come from [lowPortMin, MaxPort]: below the
// kernel's ephemeral range (32768 and up on Linux), so an outgoing
// connection never holds one, and away from the well-known ports.
const lowPortMin = 10000

// freeLowPort returns a port in [lowPortMin, MaxPort] that nothing listens
// on at the time of the call and that is not in taken.
func freeLowPort(taken map[int]bool) (int, error) {
	for range 200 {
		p := lowPortMin + rand.IntN(MaxPort-lowPortMin+1)
		if taken[p] {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue
		}
		_ = l.Close()
		return p, nil
	}
	return 0, fmt.Errorf("cluster: no free port in %d..%d after 200 tries", lowPortMin, MaxPort)
}

// fillPorts picks free ports for the zero ones.
func fillPorts(p *Ports) error {
	taken := map[int]bool{}
	for _, s := range Services() {
		sp := p.of(s)
		taken[sp.GRPC], taken[sp.Membership] = true, true
	}
	for _, s := range Services() {
		sp := p.of(s)
		for _, port := range []*int{&sp.GRPC, &sp.Membership} {
			if *port != 0 {
				continue
			}
			got, err := freeLowPort(taken)
			if err != nil {
				return err
			}
			*port, taken[got] = got, true
		}
	}
	return nil
}
