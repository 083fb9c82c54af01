package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// attachment is a file the fake serves, as Discord's CDN would.
type attachment struct {
	name      string
	data      []byte
	downloads int
}

// AddAttachment makes the fake serve data as an attachment named
// filename, from its own host (http://127.0.0.1:PORT/attachments/...), as
// Discord's CDN serves what members upload; the attachment is what an
// interaction's resolved data carries. Set DISCORD_API_URL to the fake's
// URL so that the bot may download from its host.
func (s *Server) AddAttachment(filename string, data []byte) *discordgo.MessageAttachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	s.files[id] = &attachment{name: filename, data: append([]byte(nil), data...)}
	return &discordgo.MessageAttachment{
		ID:          id,
		Filename:    filename,
		Size:        len(data),
		URL:         s.attachmentURL(ChannelID, id, filename),
		ProxyURL:    s.attachmentURL(ChannelID, id, filename),
		ContentType: mime.TypeByExtension(filenameExt(filename)),
	}
}

func filenameExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

func (s *Server) attachmentURL(channel, id, name string) string {
	return s.URL + "/attachments/" + channel + "/" + id + "/" + url.PathEscape(name)
}

// Downloads returns how many times the attachment with id was fetched.
func (s *Server) Downloads(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.files[id]; a != nil {
		return a.downloads
	}
	return 0
}

// Attachment returns the content of a file the fake holds: one added
// with AddAttachment, or one a bot sent with a message.
func (s *Server) Attachment(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.files[id]
	if a == nil {
		return nil, false
	}
	return append([]byte(nil), a.data...), true
}

func (s *Server) getAttachment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.files[r.PathValue("id")]
	if a != nil && a.name == r.PathValue("name") {
		a.downloads++
	}
	s.mu.Unlock()
	if a == nil || a.name != r.PathValue("name") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(a.data)))
	w.Write(a.data)
}

// storeFilesLocked keeps the files a bot sent and returns them as the
// message's attachments. Callers hold s.mu.
func (s *Server) storeFilesLocked(channel string, files map[string][]byte) []*discordgo.MessageAttachment {
	var out []*discordgo.MessageAttachment
	for name, data := range files {
		id := s.newID()
		s.files[id] = &attachment{name: name, data: data}
		out = append(out, &discordgo.MessageAttachment{ID: id, Filename: name, Size: len(data), URL: s.attachmentURL(channel, id, name)})
	}
	return out
}

// maxUpload is what the fake takes in one request: Discord's limit for a
// bot's message with files (10 MiB) and some room.
const maxUpload = 11 << 20

// messageBody reads a message request's JSON: the body itself, or, for a
// multipart/form-data request, its payload_json part, with the files of
// the files[n] parts, each of which its attachments list must name.
func messageBody(r *http.Request) ([]byte, map[string][]byte, error) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxUpload))
		return b, nil, err
	}
	return readMultipart(io.LimitReader(r.Body, maxUpload), params["boundary"])
}

func readMultipart(body io.Reader, boundary string) ([]byte, map[string][]byte, error) {
	mr := multipart.NewReader(body, boundary)
	var payload []byte
	byPart := map[string][]byte{}
	names := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("malformed multipart body: %w", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, fmt.Errorf("malformed multipart body: %w", err)
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			payload = b
		case strings.HasPrefix(name, "files["):
			byPart[name] = b
			names[name] = p.FileName()
		default:
			return nil, nil, fmt.Errorf("unexpected form field %q", name)
		}
	}
	if payload == nil {
		return nil, nil, fmt.Errorf("a multipart message without payload_json")
	}
	var atts struct {
		Attachments []struct {
			ID       any    `json:"id"`
			Filename string `json:"filename"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(payload, &atts); err != nil {
		return nil, nil, fmt.Errorf("payload_json: %w", err)
	}
	files := map[string][]byte{}
	for _, a := range atts.Attachments {
		part := fmt.Sprintf("files[%v]", a.ID)
		data, ok := byPart[part]
		if !ok {
			return nil, nil, fmt.Errorf("attachments names %s, which the request does not hold", part)
		}
		name := a.Filename
		if name == "" {
			name = names[part]
		}
		files[name] = data
		delete(byPart, part)
	}
	for part := range byPart {
		return nil, nil, fmt.Errorf("%s is not in the attachments list", part)
	}
	return payload, files, nil
}

// DecodeRequestMessage decodes the message of a recorded request, JSON or
// multipart with files.
func DecodeRequestMessage(r Request) (*Message, error) {
	body, files := r.Body, map[string][]byte(nil)
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		var err error
		if body, files, err = readMultipart(bytes.NewReader(r.Body), params["boundary"]); err != nil {
			return nil, err
		}
	}
	m, err := DecodeMessage(body)
	if err != nil {
		return nil, err
	}
	m.Files = files
	return m, nil
}

// Sub returns a subcommand option holding opts.
func Sub(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

// AttachmentOption returns an attachment option for att; WithAttachments
// puts att in the interaction's resolved data, where Discord sends it.
func AttachmentOption(name string, att *discordgo.MessageAttachment) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionAttachment, Value: att.ID}
}

// WithAttachments adds atts to the resolved data of a command interaction.
func WithAttachments(i *discordgo.Interaction, atts ...*discordgo.MessageAttachment) *discordgo.Interaction {
	d := i.Data.(discordgo.ApplicationCommandInteractionData)
	if d.Resolved == nil {
		d.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{}
	}
	if d.Resolved.Attachments == nil {
		d.Resolved.Attachments = map[string]*discordgo.MessageAttachment{}
	}
	for _, a := range atts {
		d.Resolved.Attachments[a.ID] = a
	}
	i.Data = d
	return i
}

// Member returns a guild member with the given permissions (a bitfield,
// as Discord computes it for the channel), for SendInteraction.
func Member(userID string, permissions int64) *discordgo.Member {
	return &discordgo.Member{User: &discordgo.User{ID: userID, Username: "member" + userID[len(userID)-3:], Discriminator: "0"}, Permissions: permissions}
}
