// Package discordspec checks request bodies against Discord's own OpenAPI
// description of its HTTP API (testdata/openapi.json, MIT, from Discord's
// discord-api-spec repository): the JSON Schema Discord publishes for each
// route, with the limits Discord enforces. The commands golden tests and
// the test peer (internal/discordtest) use it, so that a message Discord
// would answer 400 fails the tests.
//
// Validation is JSON Schema 2020-12, by santhosh-tekuri/jsonschema, with
// formats asserted (a "uri" must be a URI, as Discord checks).
package discordspec

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed testdata/openapi.json
var openAPI []byte

// The routes whose request bodies Footnote sends, as the description
// names them.
const (
	// RouteGlobalCommands and RouteGuildCommands take the bulk overwrite
	// of the command set (PUT).
	RouteGlobalCommands = "/applications/{application_id}/commands"
	RouteGuildCommands  = "/applications/{application_id}/guilds/{guild_id}/commands"
	// RouteCallback takes the answer to an interaction (POST); the same
	// body is the HTTP transport's response to Discord's POST.
	RouteCallback = "/interactions/{interaction_id}/{interaction_token}/callback"
	// RouteWebhook takes a follow-up message (POST).
	RouteWebhook = "/webhooks/{webhook_id}/{webhook_token}"
	// RouteOriginal and RouteMessage take the edit of an interaction's
	// original answer or of a follow-up (PATCH).
	RouteOriginal = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
	RouteMessage  = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
)

// docURL names the embedded description for the compiler.
const docURL = "https://discord.test/openapi.json"

// Error lists what the schema rejected in a body.
type Error struct {
	Method, Route string
	// Problems are "at /json/pointer: what is wrong", one per failed
	// check, in order.
	Problems []string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: the body breaks Discord's schema: %s", e.Method, e.Route, strings.Join(e.Problems, "; "))
}

var (
	once     sync.Once
	compiler *jsonschema.Compiler
	loadErr  error

	mu      sync.Mutex
	schemas = map[string]*jsonschema.Schema{}
)

func load() error {
	once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPI))
		if err != nil {
			loadErr = fmt.Errorf("discordspec: reading openapi.json: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		if err := c.AddResource(docURL, doc); err != nil {
			loadErr = fmt.Errorf("discordspec: loading openapi.json: %w", err)
			return
		}
		compiler = c
	})
	return loadErr
}

// schema compiles (once) the schema at a JSON pointer of the description.
func schema(pointer string) (*jsonschema.Schema, error) {
	if err := load(); err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if s, ok := schemas[pointer]; ok {
		return s, nil
	}
	s, err := compiler.Compile(docURL + "#" + pointer)
	if err != nil {
		return nil, fmt.Errorf("discordspec: compiling %s: %w", pointer, err)
	}
	schemas[pointer] = s
	return s, nil
}

// escape makes a JSON pointer token of s.
func escape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// RequestSchema is the JSON pointer of the JSON request body of method on
// route in the description.
func RequestSchema(method, route string) string {
	return "/paths/" + escape(route) + "/" + strings.ToLower(method) + "/requestBody/content/application~1json/schema"
}

// Validate checks body, sent as method to route (one of the Route
// constants, or any route of the description), against Discord's schema.
// It returns nil, an *Error listing the problems, or an error for a route
// the description does not have or a body that is not JSON.
func Validate(method, route string, body []byte) error {
	s, err := schema(RequestSchema(method, route))
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: the body is not JSON: %w", method, route, err)
	}
	err = s.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("%s %s: %w", method, route, err)
	}
	return &Error{Method: strings.ToUpper(method), Route: route, Problems: problems(ve)}
}

var printer = message.NewPrinter(language.English)

// problems says what failed, each check at its place in the body. A body
// that fails a oneOf or anyOf fails every branch; the branches ruled out by
// their discriminator (a "type" the body does not have, a JSON type it is
// not) are left out, and of the others the one with the fewest failures
// explains the body best.
func problems(ve *jsonschema.ValidationError) []string {
	var out []string
	where := map[string]int{} // location -> index in out of its "value must be" problem
	seen := map[string]bool{}
	for _, l := range explain(ve) {
		loc := "/" + strings.Join(l.InstanceLocation, "/")
		msg := l.ErrorKind.LocalizedString(printer)
		if v, ok := strings.CutPrefix(msg, "value must be "); ok {
			v = strings.TrimPrefix(v, "one of ")
			if i, ok := where[loc]; ok {
				out[i] += ", " + v
				continue
			}
			where[loc] = len(out)
			out = append(out, "at "+loc+": value must be one of "+v)
			continue
		}
		p := "at " + loc + ": " + msg
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = append(out, ve.Error())
	}
	return out
}

// explain returns the failed checks (the leaves) that explain e.
func explain(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var all []*jsonschema.ValidationError
	if kw := keyword(e); kw != "anyOf" && kw != "oneOf" {
		for _, c := range e.Causes {
			all = append(all, explain(c)...)
		}
		return all
	}
	// The branches not ruled out with the fewest failures, all of them
	// when several tie (six button styles fail on "style" alike).
	var best []*jsonschema.ValidationError
	fewest := -1
	for _, c := range e.Causes {
		leaves := explain(c)
		all = append(all, leaves...)
		switch {
		case ruledOut(e.InstanceLocation, leaves):
		case fewest < 0 || len(leaves) < fewest:
			best, fewest = append([]*jsonschema.ValidationError(nil), leaves...), len(leaves)
		case len(leaves) == fewest:
			best = append(best, leaves...)
		}
	}
	if best == nil {
		return all
	}
	return best
}

func keyword(e *jsonschema.ValidationError) string {
	if e.ErrorKind == nil {
		return ""
	}
	path := e.ErrorKind.KeywordPath()
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1]
}

// ruledOut reports whether a branch failed at its discriminator: the value
// at loc is not of the branch's JSON type, or its "type" member is not the
// branch's.
func ruledOut(loc []string, leaves []*jsonschema.ValidationError) bool {
	typeLoc := append(append([]string(nil), loc...), "type")
	for _, l := range leaves {
		switch keyword(l) {
		case "type":
			if slices.Equal(l.InstanceLocation, loc) {
				return true
			}
		case "enum", "const":
			if slices.Equal(l.InstanceLocation, typeLoc) {
				return true
			}
		}
	}
	return false
}
