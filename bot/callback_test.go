package bot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallbackRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		cb   Callback
		wire string
	}{
		{"answer", AnswerCb("min-income-floor"), "a:min-income-floor"},
		{"related", RelatedCb("max-income-ceiling"), "r:max-income-ceiling"},
		{"thumbs up", FeedbackCb("x1", 1), "f:+:x1"},
		{"thumbs down", FeedbackCb("x1", -1), "f:-:x1"},
		{"menu", MenuCb(MenuVSI), "m:vsi"},
		{"calc step", CalcCb("vsi", "inc", "1500000"), "c:vsi:inc:1500000"},
		{"back", NavCb(NavBack), "x:back"},
		{"cancel", NavCb(NavCancel), "x:cancel"},
		{"agent with topic", AgentCb("min-income-floor"), "g:min-income-floor"},
		{"agent without topic", AgentCb(""), "g:"},
		{"handoff", HandoffCb("claim:42"), "h:claim:42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cb.Encode()
			require.NoError(t, err)
			assert.Equal(t, tt.wire, got)
			back, err := DecodeCallback(got)
			require.NoError(t, err)
			assert.Equal(t, tt.cb, back)
		})
	}
}

func TestCallbackRejectsForged(t *testing.T) {
	for _, data := range []string{
		"", "a", "a:", "z:foo", "m:nope", "x:explode", "f:*:id", "f:+:", "c:vsi:inc", "c:vsi:inc:1:2",
		"a:UPPER", "a:with space", "a:<b>", "r:" + strings.Repeat("a", 63), "c:vsi:inc:" + strings.Repeat("9", 60),
		"h:", "h:has space", "a:id\x00", "ä:x", "a;x",
	} {
		_, err := DecodeCallback(data)
		assert.ErrorIs(t, err, ErrBadCallback, "%q", data)
	}
	_, err := AnswerCb(strings.Repeat("a", 63)).Encode()
	assert.ErrorIs(t, err, ErrBadCallback, "over 64 bytes")
}

func FuzzDecodeCallback(f *testing.F) {
	for _, s := range []string{"a:x", "f:+:x", "c:vsi:inc:1500000", "m:main", "x:back", "g:", "h:claim:1", "c::::", "\xff:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		cb, err := DecodeCallback(data)
		if err != nil {
			return
		}
		// Anything accepted re-encodes to exactly the same bytes, within 64.
		enc, err := cb.Encode()
		if err != nil || enc != data || len(enc) > MaxCallbackLen {
			t.Fatalf("accepted %q but re-encodes to %q (%v)", data, enc, err)
		}
	})
}
