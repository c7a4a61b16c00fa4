package recorded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// The event and deadline columns come as one-dimensional PostgreSQL arrays
// in the binary format: a header (dimensions, has-null flag, element type,
// then size and lower bound per dimension) and each element as a length
// (-1: NULL) and its bytes. pgx decodes them generically, through
// reflection, at a third of the CPU of a month's replay; these read the
// five element types the query returns, without reflection, and keep text
// and jsonb elements as slices of the row (no copy).

// arrayElems splits a binary one-dimensional array into its elements (nil:
// NULL); a NULL array (src nil) has none.
func arrayElems(src []byte, buf [][]byte) ([][]byte, error) {
	buf = buf[:0]
	if src == nil {
		return buf, nil
	}
	if len(src) < 12 {
		return nil, errors.New("array header too short")
	}
	ndim := int32(binary.BigEndian.Uint32(src))
	rest := src[12:]
	switch ndim {
	case 0:
		return buf, nil
	case 1:
	default:
		return nil, fmt.Errorf("array of %d dimensions, want 1", ndim)
	}
	if len(rest) < 8 {
		return nil, errors.New("array dimension too short")
	}
	n := int(int32(binary.BigEndian.Uint32(rest)))
	rest = rest[8:]
	for i := 0; i < n; i++ {
		if len(rest) < 4 {
			return nil, fmt.Errorf("array element %d: too short", i)
		}
		l := int(int32(binary.BigEndian.Uint32(rest)))
		rest = rest[4:]
		if l < 0 {
			buf = append(buf, nil)
			continue
		}
		if len(rest) < l {
			return nil, fmt.Errorf("array element %d: %d bytes, %d left", i, l, len(rest))
		}
		buf = append(buf, rest[:l:l])
		rest = rest[l:]
	}
	return buf, nil
}

// pgEpoch is PostgreSQL's timestamp epoch.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// timestamptz reads a binary timestamptz (microseconds since 2000-01-01
// UTC); ok is false for NULL.
func timestamptz(b []byte) (t time.Time, ok bool, err error) {
	if b == nil {
		return time.Time{}, false, nil
	}
	if len(b) != 8 {
		return time.Time{}, false, fmt.Errorf("timestamptz of %d bytes", len(b))
	}
	us := int64(binary.BigEndian.Uint64(b))
	if us == 1<<63-1 || us == -1<<63 {
		return time.Time{}, false, errors.New("infinite timestamptz")
	}
	return pgEpoch.Add(time.Duration(us) * time.Microsecond), true, nil
}

// int8 and int4 read binary integers.
func int8(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("int8 of %d bytes", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

func int4(b []byte) (int32, error) {
	if len(b) != 4 {
		return 0, fmt.Errorf("int4 of %d bytes", len(b))
	}
	return int32(binary.BigEndian.Uint32(b)), nil
}

// jsonb is a binary jsonb's JSON text (after its version byte 1).
func jsonb(b []byte) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	if len(b) == 0 || b[0] != 1 {
		return nil, errors.New("jsonb: not version 1")
	}
	return b[1:], nil
}

// intern returns the one of names equal to b, else a copy of b: the
// kinds, deadline names and states repeat in every request.
func intern(b []byte, names []string) string {
	for _, n := range names {
		if string(b) == n {
			return n
		}
	}
	return string(b)
}
