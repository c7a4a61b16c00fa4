package recorded

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// binArray builds a one-dimensional binary array of elements (nil: NULL).
func binArray(elems ...[]byte) []byte {
	u32 := func(b []byte, v int) []byte { return binary.BigEndian.AppendUint32(b, uint32(int32(v))) }
	b := u32(nil, 1) // dimensions
	b = u32(b, 0)    // has nulls (not read)
	b = u32(b, 25)   // element type (not read)
	b = u32(b, len(elems))
	b = u32(b, 1) // lower bound
	for _, e := range elems {
		if e == nil {
			b = u32(b, -1)
			continue
		}
		b = u32(b, len(e))
		b = append(b, e...)
	}
	return b
}

func TestArrayElems(t *testing.T) {
	got, err := arrayElems(binArray([]byte("a"), nil, []byte{}), nil)
	if err != nil || len(got) != 3 || string(got[0]) != "a" || got[1] != nil || got[2] == nil || len(got[2]) != 0 {
		t.Fatalf("%q, %v", got, err)
	}
	if got, err := arrayElems(nil, nil); err != nil || len(got) != 0 {
		t.Errorf("NULL array: %q, %v", got, err)
	}
	if got, err := arrayElems(make([]byte, 12), nil); err != nil || len(got) != 0 {
		t.Errorf("empty array: %q, %v", got, err)
	}
	for _, c := range []struct {
		src  []byte
		want string
	}{
		{[]byte{0, 0, 0}, "array header too short"},
		{binary.BigEndian.AppendUint32(make([]byte, 0, 12), 2), "array header too short"},
		{append(binary.BigEndian.AppendUint32(nil, 2), make([]byte, 8)...), "array of 2 dimensions, want 1"},
		{binArray([]byte("abc"))[:25], "array element 0: 3 bytes, 1 left"},
	} {
		if _, err := arrayElems(c.src, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%x: %v, want %s", c.src, err, c.want)
		}
	}
}

func TestElementReaders(t *testing.T) {
	us := func(t time.Time) []byte {
		return binary.BigEndian.AppendUint64(nil, uint64(t.Sub(pgEpoch)/time.Microsecond))
	}
	when := time.Date(2026, 11, 23, 2, 0, 0, 123456000, time.UTC)
	if got, ok, err := timestamptz(us(when)); err != nil || !ok || !got.Equal(when) {
		t.Errorf("timestamptz %v %v %v", got, ok, err)
	}
	if _, ok, err := timestamptz(nil); ok || err != nil {
		t.Error("NULL timestamptz")
	}
	if _, _, err := timestamptz(binary.BigEndian.AppendUint64(nil, 1<<63-1)); err == nil {
		t.Error("infinity accepted")
	}
	if n, err := int8(binary.BigEndian.AppendUint64(nil, 42)); n != 42 || err != nil {
		t.Errorf("int8 %d %v", n, err)
	}
	if n, err := int4(binary.BigEndian.AppendUint32(nil, 7)); n != 7 || err != nil {
		t.Errorf("int4 %d %v", n, err)
	}
	if _, err := int4([]byte{1}); err == nil {
		t.Error("short int4 accepted")
	}
	if j, err := jsonb(append([]byte{1}, `{"a":1}`...)); string(j) != `{"a":1}` || err != nil {
		t.Errorf("jsonb %s %v", j, err)
	}
	if _, err := jsonb([]byte(`{}`)); err == nil {
		t.Error("jsonb without its version accepted")
	}
	if s := intern([]byte("met"), states); s != "met" {
		t.Error(s)
	}
}
