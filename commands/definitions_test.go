package commands

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/footnote-bot/footnote/knowledge"
)

// TestCommands checks the command set against Discord's rules for
// application commands, and that every command routes to a handler.
func TestCommands(t *testing.T) {
	r := testRouter(t, "seed")
	cmds := r.Commands()
	chatName := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	names := map[string]bool{}
	for _, c := range cmds {
		key := string(rune('0'+c.Type)) + c.Name
		if names[key] {
			t.Errorf("duplicate command %q", c.Name)
		}
		names[key] = true
		switch c.Type {
		case discordgo.ChatApplicationCommand:
			if !chatName.MatchString(c.Name) {
				t.Errorf("bad chat command name %q", c.Name)
			}
			if n := textLen(c.Description); n < 1 || n > 100 {
				t.Errorf("/%s description length %d", c.Name, n)
			}
			if len(c.Options) > 25 {
				t.Errorf("/%s has %d options", c.Name, len(c.Options))
			}
			required := true
			for _, o := range c.Options {
				if !chatName.MatchString(o.Name) || textLen(o.Description) < 1 || textLen(o.Description) > 100 {
					t.Errorf("/%s option %q: bad name or description", c.Name, o.Name)
				}
				if o.Required && !required {
					t.Errorf("/%s: required option %q after an optional one", c.Name, o.Name)
				}
				required = o.Required
				if o.MaxLength > 6000 {
					t.Errorf("/%s %s max_length %d", c.Name, o.Name, o.MaxLength)
				}
			}
			if _, _, ok := r.commands.match("/" + c.Name); !ok {
				t.Errorf("/%s has no handler", c.Name)
			}
			for _, o := range c.Options {
				if o.Autocomplete {
					if _, _, ok := r.autocomplete.match("/" + c.Name); !ok {
						t.Errorf("/%s %s autocompletes without a handler", c.Name, o.Name)
					}
				}
			}
		case discordgo.MessageApplicationCommand:
			if c.Description != "" || len(c.Options) != 0 {
				t.Errorf("message command %q has a description or options", c.Name)
			}
			if n := textLen(c.Name); n < 1 || n > 32 {
				t.Errorf("message command name length %d", n)
			}
			if _, _, ok := r.commands.match("/message/" + c.Name); !ok {
				t.Errorf("message command %q has no handler", c.Name)
			}
		default:
			t.Errorf("unexpected command type %d", c.Type)
		}
	}
	for _, want := range []string{"1ask", "1entry", "1related", "1search", "1random", "1about", "3" + findSourcesName} {
		if !names[want] {
			t.Errorf("missing command %q", want[1:])
		}
	}
}

// The command set as sent and shown has no null members, keeps discordgo's
// member order, and decodes to the same commands.
func TestEncodeCommands(t *testing.T) {
	cmds := New(nil, Options{}).Commands()
	for _, indent := range []string{"", "  "} {
		out, err := EncodeCommands(cmds, indent)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("null")) {
			t.Errorf("indent %q: null members:\n%s", indent, out)
		}
		if (indent == "") == bytes.Contains(out, []byte("\n")) {
			t.Errorf("indent %q: wrong layout:\n%.200s", indent, out)
		}
		if i, j := bytes.Index(out, []byte(`"type"`)), bytes.Index(out, []byte(`"name"`)); i < 0 || j < i {
			t.Errorf("members reordered:\n%.200s", out)
		}
		var back []*discordgo.ApplicationCommand
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, cmds) {
			t.Errorf("indent %q: decodes to other commands", indent)
		}
	}
	if out, err := EncodeCommands(nil, ""); err != nil || string(out) != "[]" {
		t.Errorf("no commands: %s %v (an empty set must be [], which removes every command)", out, err)
	}
}

// Every question /ask lets through is one knowledge accepts: Discord
// counts characters, knowledge bytes, and a character takes 4 at most.
func TestQuestionOptionFitsKnowledge(t *testing.T) {
	if maxQuestionOption*utf8.UTFMax > knowledge.MaxQuestionLen {
		t.Errorf("/ask takes %d characters, up to %d bytes; knowledge takes %d", maxQuestionOption, maxQuestionOption*utf8.UTFMax, knowledge.MaxQuestionLen)
	}
	r := testRouter(t, "seed")
	for _, c := range r.Commands() {
		if c.Name != "ask" {
			continue
		}
		if got := c.Options[0].MaxLength; got != maxQuestionOption {
			t.Errorf("/ask question max_length %d, want %d", got, maxQuestionOption)
		}
		long := strings.Repeat("\U0001F600", maxQuestionOption)
		if _, err := testIndex(t, "seed").Ask(long, 1); err != nil {
			t.Errorf("the longest /ask question is refused: %v", err)
		}
	}
}

// Every slash command that answers with a message offers "private", as
// its description says the channel sees the answer otherwise; those that
// manage the server's corpus and settings always answer privately, and so
// does /review; /quiz is for the channel (each verdict is private).
func TestPrivateEverywhere(t *testing.T) {
	for _, c := range testRouter(t, "seed").Commands() {
		if c.Type != discordgo.ChatApplicationCommand || c.Name == "about" || c.Name == "corpus" || c.Name == "settings" || c.Name == "quiz" || c.Name == "review" {
			continue
		}
		found := false
		for _, o := range c.Options {
			found = found || (o.Name == "private" && o.Type == discordgo.ApplicationCommandOptionBoolean && !o.Required)
		}
		if !found {
			t.Errorf("/%s has no optional private option", c.Name)
		}
	}
}
