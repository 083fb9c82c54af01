package bot

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestVerifyFresh(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		ts   string
		want bool
	}{
		{"1700000000", true},
		{strconv.FormatInt(now.Add(-MaxClockSkew).Unix(), 10), true},
		{strconv.FormatInt(now.Add(MaxClockSkew).Unix(), 10), true},
		{strconv.FormatInt(now.Add(-MaxClockSkew-time.Second).Unix(), 10), false},
		{strconv.FormatInt(now.Add(MaxClockSkew+time.Second).Unix(), 10), false},
		{"", false},
		{"1700000000.5", false},
		{"-1", false},
		{"99999999999999999999999", false},
		// A difference with now that overflows int64 must not wrap
		// around into the window.
		{strconv.FormatInt(now.Unix()-math.MaxInt64-1, 10), false},
		{strconv.FormatInt(math.MinInt64, 10), false},
		{strconv.FormatInt(math.MaxInt64, 10), false},
		{strconv.FormatInt(now.Unix()+math.MaxInt64/2, 10), false},
	}
	for _, tt := range tests {
		if got := verifyFresh(tt.ts, now); got != tt.want {
			t.Errorf("verifyFresh(%q) = %v, want %v", tt.ts, got, tt.want)
		}
	}
}

func TestVerifyRequest(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := []byte(`{"type":1}`)
	sign := func(r *http.Request, b []byte) *http.Request {
		r.Header.Set(HeaderTimestamp, ts)
		r.Header.Set(HeaderSignature, SignInteraction(priv, ts, b))
		return r
	}
	tests := []struct {
		name string
		req  *http.Request
		want *verifyRejection
	}{
		{"valid", sign(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)), body), nil},
		{"exactly 1 MiB", sign(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(bytes.Repeat([]byte{' '}, MaxInteractionBody))),
			bytes.Repeat([]byte{' '}, MaxInteractionBody)), nil},
		{"1 MiB + 1", sign(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(bytes.Repeat([]byte{' '}, MaxInteractionBody+1))),
			bytes.Repeat([]byte{' '}, MaxInteractionBody+1)), rejectTooLarge},
		{"HEAD", sign(httptest.NewRequest(http.MethodHead, "/", nil), nil), rejectMethod},
		{"unsigned", httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)), rejectNoSig},
		{"signature of another body", sign(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)), []byte(`{"type":2}`)), rejectBadSig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rej := verifyRequest(httptest.NewRecorder(), tt.req, pub, now)
			if rej != tt.want {
				t.Fatalf("rejection %v, want %v", rej, tt.want)
			}
			if rej == nil && len(got) == 0 {
				t.Error("no body returned")
			}
		})
	}
}

func BenchmarkVerifyRequest(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	body := bytes.Repeat([]byte("x"), 1500)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := SignInteraction(priv, ts, body)
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set(HeaderTimestamp, ts)
		r.Header.Set(HeaderSignature, sig)
		if _, rej := verifyRequest(httptest.NewRecorder(), r, pub, time.Now()); rej != nil {
			b.Fatal(rej)
		}
	}
}
