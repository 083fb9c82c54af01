package bot

import (
	"errors"
	"net/url"
	"strings"
)

// dialError is what apiRewriter returns when a request it sent elsewhere
// fails: it carries the URL that was dialled. net/http wraps it in a
// *url.Error that names the URL discordgo built (https://discord.com/...),
// which is not where the request went; dialledURL puts the right one back.
type dialError struct {
	dialled string
	err     error
}

func (e *dialError) Error() string { return e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// dialledURL rewrites an error of a request that DISCORD_API_URL sent
// elsewhere so that it names the URL dialled, not https://discord.com.
// Other errors are returned unchanged.
func dialledURL(err error) error {
	var ue *url.Error
	var de *dialError
	if !errors.As(err, &ue) || !errors.As(ue.Err, &de) || ue.URL == de.dialled {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), ue.URL, de.dialled)
	return &renamedError{msg: msg, err: err}
}

// renamedError is err with its message corrected; errors.Is and errors.As
// still see err.
type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }
