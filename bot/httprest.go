package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIBase is the REST base used when DISCORD_API_URL is not set.
const DefaultAPIBase = "https://discord.com"

// httpAPIVersion is the REST API version, the one discordgo speaks.
const httpAPIVersion = "v9"

// RESTClient makes the few REST calls the HTTP transport and `footnote
// register` need, against Base (https://discord.com or DISCORD_API_URL, for
// a rate-limit proxy or a local fake). It retries a 429 after the delay the
// server asks for, a bounded number of times. It never logs a token.
type RESTClient struct {
	// Base replaces https://discord.com; "/api/v9/..." is appended.
	Base string
	// Token is the bot token ("Bot " is prepended); webhook calls carry
	// the interaction token in their path and need none.
	Token string
	// HTTP defaults to a client with a 30 s timeout.
	HTTP *http.Client
	// MaxRetries of a rate-limited call; 0 means 3.
	MaxRetries int
	// UserAgent defaults to one naming Footnote.
	UserAgent string
}

// RESTError is a non-2xx answer of the API.
type RESTError struct {
	// Base is the REST base the call went to when it is not
	// https://discord.com (DISCORD_API_URL); "" otherwise.
	Base   string
	Method string
	Route  string // the path with tokens elided
	Status int
	Body   string // at most 512 bytes of the answer
}

func (e *RESTError) Error() string {
	msg := fmt.Sprintf("%s: %s %s: HTTP %d", apiName(e.Base), e.Method, e.Route, e.Status)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

var httpDefaultClient = &http.Client{Timeout: 30 * time.Second}

func (c *RESTClient) client() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return httpDefaultClient
}

// custom is the base URL when it is not https://discord.com, for errors
// to name it: an error about a proxy should not send the reader to Discord.
func (c *RESTClient) custom() string {
	b := strings.TrimRight(strings.TrimSpace(c.Base), "/")
	if b == "" || b == DefaultAPIBase {
		return ""
	}
	return b
}

// apiName names the API a call went to in errors: "discord API", or
// "discord API at BASE" under DISCORD_API_URL.
func apiName(base string) string {
	if base == "" {
		return "discord API"
	}
	return "discord API at " + base
}

func (c *RESTClient) base() string {
	b := strings.TrimRight(strings.TrimSpace(c.Base), "/")
	if b == "" {
		b = DefaultAPIBase
	}
	return b + "/api/" + httpAPIVersion
}

// multipartBody is a JSON payload with files, as Discord takes them: the
// payload in the payload_json part, with an attachments list naming each
// file by its index, and file k in the part files[k].
func multipartBody(payload any, files []*discordgo.File) ([]byte, string, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, "", err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, "", err
	}
	var atts []map[string]string
	for k, f := range files {
		atts = append(atts, map[string]string{"id": strconv.Itoa(k), "filename": f.Name})
	}
	if fields["attachments"], err = json.Marshal(atts); err != nil {
		return nil, "", err
	}
	if raw, err = json.Marshal(fields); err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	part.Write(raw)
	for k, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files[%d]"; filename="%s"`, k, quoteEscaper.Replace(f.Name)))
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		part, err := mw.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := io.Copy(part, f.Reader); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// do sends one JSON request to path (below /api/v9) and decodes a JSON
// answer into out when out is not nil. route names the call in errors
// without the secrets its path may hold.
func (c *RESTClient) do(ctx context.Context, method, path, route string, in, out any) error {
	return c.doFiles(ctx, method, path, route, in, nil, out)
}

// doFiles is do with files: sent as multipart/form-data when there are
// any.
func (c *RESTClient) doFiles(ctx context.Context, method, path, route string, in any, files []*discordgo.File, out any) error {
	name := apiName(c.custom())
	var body []byte
	contentType := "application/json"
	if len(files) > 0 {
		var err error
		if body, contentType, err = multipartBody(in, files); err != nil {
			return fmt.Errorf("%s: %s %s: encoding the request: %w", name, method, route, err)
		}
	} else if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("%s: %s %s: encoding the request: %w", name, method, route, err)
		}
	}
	retries := c.MaxRetries
	if retries <= 0 {
		retries = 3
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, c.base()+path, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("%s: %s %s: %w", name, method, route, err)
		}
		if in != nil || len(files) > 0 {
			req.Header.Set("Content-Type", contentType)
		}
		if c.Token != "" {
			req.Header.Set("Authorization", "Bot "+strings.TrimPrefix(c.Token, "Bot "))
		}
		ua := c.UserAgent
		if ua == "" {
			ua = "DiscordBot (https://github.com/footnote-bot/footnote, 1) footnote"
		}
		req.Header.Set("User-Agent", ua)
		resp, err := c.client().Do(req)
		if err != nil {
			// The error of net/http quotes the URL, which can hold an
			// interaction token: report the route only.
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err
			}
			return fmt.Errorf("%s: %s %s: %w", name, method, route, err)
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
		resp.Body.Close()
		if rerr != nil {
			return fmt.Errorf("%s: %s %s: reading the answer: %w", name, method, route, rerr)
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < retries {
			wait := httpRetryAfter(resp.Header, data)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%s: %s %s: rate limited: %w", name, method, route, ctx.Err())
			case <-t.C:
			}
			continue
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			snippet := string(data)
			if len(snippet) > 512 {
				snippet = snippet[:512]
			}
			return &RESTError{Base: c.custom(), Method: method, Route: route, Status: resp.StatusCode, Body: strings.TrimSpace(snippet)}
		}
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("%s: %s %s: decoding the answer: %w", name, method, route, err)
			}
		}
		return nil
	}
}

// httpRetryAfter reads how long a 429 asks to wait (the retry_after field
// of the body, else the Retry-After header), capped at 30 s.
func httpRetryAfter(h http.Header, body []byte) time.Duration {
	var rl struct {
		RetryAfter float64 `json:"retry_after"`
	}
	d := time.Second
	if json.Unmarshal(body, &rl) == nil && rl.RetryAfter > 0 {
		d = time.Duration(rl.RetryAfter * float64(time.Second))
	} else if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s >= 0 {
		d = time.Duration(s * float64(time.Second))
	}
	return min(d, 30*time.Second)
}

// httpWebhookPath is the webhook of interaction i, and its route for
// errors (the token elided).
func httpWebhookPath(i *discordgo.Interaction) (string, error) {
	if i == nil || i.AppID == "" || i.Token == "" {
		return "", errors.New("discord API: the interaction webhook needs the interaction's application id and token")
	}
	return "/webhooks/" + url.PathEscape(i.AppID) + "/" + url.PathEscape(i.Token), nil
}

// EditOriginal replaces the original response of interaction i
// (PATCH /webhooks/{app}/{token}/messages/@original): the deferred message
// after a type 5 acknowledgement, the component's message after type 6.
func (c *RESTClient) EditOriginal(ctx context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	path, err := httpWebhookPath(i)
	if err != nil {
		return err
	}
	return c.doFiles(ctx, http.MethodPatch, path+"/messages/@original", "/webhooks/{app}/{token}/messages/@original", e, e.Files, nil)
}

// Followup posts a new message on interaction i's webhook
// (POST /webhooks/{app}/{token}); unlike an edit it may be ephemeral.
func (c *RESTClient) Followup(ctx context.Context, i *discordgo.Interaction, p *discordgo.WebhookParams) error {
	path, err := httpWebhookPath(i)
	if err != nil {
		return err
	}
	return c.doFiles(ctx, http.MethodPost, path, "/webhooks/{app}/{token}", p, p.Files, nil)
}

// DeleteOriginal deletes interaction i's original response.
func (c *RESTClient) DeleteOriginal(ctx context.Context, i *discordgo.Interaction) error {
	path, err := httpWebhookPath(i)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, path+"/messages/@original", "/webhooks/{app}/{token}/messages/@original", nil, nil)
}

// ApplicationID asks the API for the application the token belongs to
// (GET /oauth2/applications/@me).
func (c *RESTClient) ApplicationID(ctx context.Context) (string, error) {
	var app struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, http.MethodGet, "/oauth2/applications/@me", "/oauth2/applications/@me", nil, &app); err != nil {
		return "", err
	}
	if app.ID == "" {
		return "", errors.New("discord API: GET /oauth2/applications/@me: the answer has no application id")
	}
	return app.ID, nil
}
