package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DiscordCDNHosts are the hosts Discord serves attachments from.
var DiscordCDNHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// Fetcher downloads attachments from the allowed hosts only.
type Fetcher struct {
	// Client defaults to one with a 30 s timeout.
	Client  *http.Client
	allowed []origin
}

// origin is a scheme and a host (with its port, if any).
type origin struct{ scheme, host string }

// NewFetcher allows Discord's CDN hosts over HTTPS and, when apiURL is
// set (DISCORD_API_URL), that URL's own scheme and host as well: a proxy
// in front of Discord, or the local test peer.
func NewFetcher(apiURL string) (*Fetcher, error) {
	f := &Fetcher{}
	for _, h := range DiscordCDNHosts {
		f.allowed = append(f.allowed, origin{"https", h})
	}
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("the API URL %q is not an http(s) URL", apiURL)
		}
		f.allowed = append(f.allowed, origin{u.Scheme, strings.ToLower(u.Host)})
	}
	return f, nil
}

// Allowed reports whether raw is a URL the fetcher would download.
func (f *Fetcher) Allowed(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && f.allows(u)
}

func (f *Fetcher) allows(u *url.URL) bool {
	if u.User != nil || u.Host == "" {
		return false
	}
	for _, o := range f.allowed {
		if strings.EqualFold(u.Scheme, o.scheme) && strings.EqualFold(u.Host, o.host) {
			return true
		}
	}
	return false
}

var errRedirect = errors.New("redirected to a host that is not Discord's")

var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Fetch downloads raw, at most max bytes of it. A URL on any other host,
// a redirect away from the allowed hosts, an answer other than 200, and a
// body larger than max (whatever Content-Length claims) are refused.
func (f *Fetcher) Fetch(ctx context.Context, raw string, max int64) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || !f.allows(u) {
		return nil, refuse("The attachment is not on Discord's servers: refused.")
	}
	base := f.Client
	if base == nil {
		base = defaultClient
	}
	client := *base
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 || !f.allows(req.URL) {
			return errRedirect
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/footnote-bot/footnote, 1) footnote")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errRedirect) {
			return nil, refuse("The attachment's download was redirected away from Discord's servers: refused.")
		}
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // without the URL, which is signed
		}
		return nil, fmt.Errorf("downloading the attachment: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading the attachment: HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > max {
		return nil, refuse("The attachment is %s, over the limit of %s.", Size(resp.ContentLength), Size(max))
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("downloading the attachment: %w", err)
	}
	if int64(len(b)) > max {
		return nil, refuse("The attachment is over the limit of %s.", Size(max))
	}
	return b, nil
}
