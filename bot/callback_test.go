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
		{"details", DetailCb(), "d:"},
		{"province page", ProvPageCb(3), "p:3"},
		{"province", ProvinceCb("hung-yen"), "v:hung-yen"},
		{"commune", CommuneCb("hung-yen", 12), "o:hung-yen:12"},
		{"call me", CallMeCb("hyn-bd-thaithuy"), "k:hyn-bd-thaithuy"},
		{"call time", CallTimeCb("sang"), "t:sang"},
		{"lead card", LeadCb(42, LeadClaim), "l:42:claim"},
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
		"h:", "h:has space", "a:id\x00", "ä:x", "a;x", "p:01", "p:-1", "p:100", "o:hung-yen", "o:hung-yen:x", "t:night",
		"l:0:claim", "l:1:delete", "l:01:claim", "k:", "v:Hung Yen", "h:lead:0:claim", "h:pp:0",
	} {
		_, err := DecodeCallback(data)
		assert.ErrorIs(t, err, ErrBadCallback, "%q", data)
	}
	// Lead cards sent before the typed codec keep working.
	cb, err := DecodeCallback("h:lead:7:enrolled")
	require.NoError(t, err)
	assert.Equal(t, LeadCb(7, LeadEnrolled), cb)
	_, err = AnswerCb(strings.Repeat("a", 63)).Encode()
	assert.ErrorIs(t, err, ErrBadCallback, "over 64 bytes")
}

func FuzzDecodeCallback(f *testing.F) {
	for _, s := range []string{"a:x", "f:+:x", "c:vsi:inc:1500000", "m:main", "x:back", "g:", "h:lead:1:claim", "l:9:no", "o:a:1", "p:0", "c::::", "\xff:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		cb, err := DecodeCallback(data)
		if err != nil {
			return
		}
		// Anything accepted re-encodes to exactly the same bytes, within 64
		// (legacy "h:lead:" card buttons re-encode in the typed form).
		enc, err := cb.Encode()
		if strings.HasPrefix(data, "h:") {
			if err != nil || cb.Kind != CbLead {
				t.Fatalf("legacy %q decoded to %+v, encode %v", data, cb, err)
			}
			return
		}
		if err != nil || enc != data || len(enc) > MaxCallbackLen {
			t.Fatalf("accepted %q but re-encodes to %q (%v)", data, enc, err)
		}
	})
}
