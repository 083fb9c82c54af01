package bot

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Limits applied to every request of the HTTP transport.
const (
	// MaxInteractionBody is the largest request body accepted (1 MiB).
	MaxInteractionBody = 1 << 20
	// MaxClockSkew is how far X-Signature-Timestamp may be from the local
	// clock, either way, before a request is refused as a replay.
	MaxClockSkew = 5 * time.Minute
)

// Headers Discord signs its interaction requests with.
const (
	HeaderSignature = "X-Signature-Ed25519"
	HeaderTimestamp = "X-Signature-Timestamp"
)

// verifyRejection is why a request was refused: the HTTP status to answer
// and a short reason for logs and metrics. It never holds request data.
type verifyRejection struct {
	status int
	reason string
}

func (r *verifyRejection) Error() string { return r.reason }

var (
	rejectMethod    = &verifyRejection{http.StatusMethodNotAllowed, "method"}
	rejectNoSig     = &verifyRejection{http.StatusUnauthorized, "missing_signature"}
	rejectBadSig    = &verifyRejection{http.StatusUnauthorized, "bad_signature"}
	rejectStale     = &verifyRejection{http.StatusUnauthorized, "stale_timestamp"}
	rejectTooLarge  = &verifyRejection{http.StatusRequestEntityTooLarge, "too_large"}
	rejectReadError = &verifyRejection{http.StatusBadRequest, "read_error"}
)

// verifyRequest checks one interaction request the way Discord asks: POST
// only, a body of at most MaxInteractionBody bytes, a fresh timestamp, and
// an Ed25519 signature by key over timestamp+body. It returns the raw body
// when every check passes.
func verifyRequest(w http.ResponseWriter, r *http.Request, key ed25519.PublicKey, now time.Time) ([]byte, *verifyRejection) {
	if r.Method != http.MethodPost {
		return nil, rejectMethod
	}
	sigHex := r.Header.Get(HeaderSignature)
	ts := r.Header.Get(HeaderTimestamp)
	if sigHex == "" || ts == "" {
		return nil, rejectNoSig
	}
	if len(sigHex) != 2*ed25519.SignatureSize {
		return nil, rejectBadSig
	}
	var sig [ed25519.SignatureSize]byte
	if _, err := hex.Decode(sig[:], []byte(sigHex)); err != nil {
		return nil, rejectBadSig
	}
	if !verifyFresh(ts, now) {
		return nil, rejectStale
	}
	if r.ContentLength > MaxInteractionBody {
		return nil, rejectTooLarge
	}
	body, err := verifyReadBody(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, rejectTooLarge
		}
		return nil, rejectReadError
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(msg, ts...)
	msg = append(msg, body...)
	if !ed25519.Verify(key, msg, sig[:]) {
		return nil, rejectBadSig
	}
	return body, nil
}

// verifyFresh reports whether a Unix-seconds timestamp is within
// MaxClockSkew of now. It compares the timestamp with the bounds of the
// window rather than subtracting it from now: a difference of two int64s
// can wrap around (now - 2^63 would look like a timestamp from the
// future), the bounds of a window around the present cannot.
func verifyFresh(ts string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	skew := int64(MaxClockSkew / time.Second)
	return sec >= now.Unix()-skew && sec <= now.Unix()+skew
}

// verifyReadBody reads the whole body, failing with *http.MaxBytesError
// past MaxInteractionBody.
func verifyReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rd := http.MaxBytesReader(w, r.Body, MaxInteractionBody)
	size := r.ContentLength
	if size <= 0 || size > MaxInteractionBody {
		size = 4096
	}
	buf := make([]byte, 0, size+1)
	for {
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// SignInteraction returns the hex signature Discord would send for body at
// timestamp ts: the counterpart of the transport's verification, for tests,
// benchmarks and local tools that play Discord.
func SignInteraction(priv ed25519.PrivateKey, ts string, body []byte) string {
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(msg, ts...)
	msg = append(msg, body...)
	return hex.EncodeToString(ed25519.Sign(priv, msg))
}
