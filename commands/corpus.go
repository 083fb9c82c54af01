package commands

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/corpus"
	"github.com/footnote-bot/footnote/internal/logclip"
	"github.com/footnote-bot/footnote/knowledge"
	"github.com/footnote-bot/footnote/upload"
)

// The server's own corpus, from Discord:
//
//	/corpus add file:ATTACHMENT  a .md, .txt or .jsonl file, or a .zip of them (Manage Server)
//	/corpus list                 the server's own entries, a page at a time
//	/corpus remove entry:NAME    one entry, by id or title (Manage Server)
//	/corpus export               the server's files as a .zip
//	/corpus gaps                 the questions the corpus misses (Manage Server)
//
// Every answer is ephemeral: it concerns whoever manages the corpus.

const (
	listPageSize   = 15
	maxProblems    = 12 // problems listed in a refusal; the rest are counted
	maxWarnings    = 5
	maxExportBytes = 8 << 20 // what a bot may attach to a message, with room
)

const notManager = "Only members with the **Manage Server** permission can change this server's corpus."

func (r *Router) corpusCommand(q *request) *discordgo.InteractionResponse {
	if q.i.GuildID == "" {
		return notice("`/corpus` manages a server's own corpus: use it in a server.")
	}
	d, _ := commandData(q.i)
	sub, opts := subcommand(d)
	if sub == "gaps" {
		return r.corpusGaps(q) // the questions asked: kept with or without a corpus of the server's own
	}
	if r.guilds == nil {
		return notice("This Footnote keeps no per-server corpora: it answers from the operator's corpus only.")
	}
	switch sub {
	case "add":
		return r.corpusAdd(q, d, opts)
	case "list":
		return r.corpusList(q, 0, false)
	case "remove":
		return r.corpusRemove(q, opts)
	case "export":
		return r.corpusExport(q)
	}
	return unknown(q.i)
}

// corpusAdd answers /corpus add file: it downloads the attachment, unpacks
// it, and adds it when every file passes the checks a corpus on disk
// goes through; otherwise it names the file and line of each problem, and
// nothing changes.
func (r *Router) corpusAdd(q *request, d discordgo.ApplicationCommandInteractionData, opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
	if !canManage(q.i) {
		return notice(notManager)
	}
	var id string
	if o := option(opts, "file"); o != nil {
		id, _ = o.Value.(string)
	}
	if id == "" || d.Resolved == nil || d.Resolved.Attachments[id] == nil {
		return notice("Attach a file: `/corpus add file:` a .md, .txt or .jsonl file, or a .zip of them.")
	}
	att := d.Resolved.Attachments[id]
	lim := r.guilds.Limits()
	name := att.Filename
	if !upload.Accepted(name) {
		return notice(fmt.Sprintf("%s is not a corpus file: send a .md, .txt or .jsonl file, or a .zip of them.", cut(escape(oneLine(name)), 100)))
	}
	if int64(att.Size) > lim.Upload.MaxAttachment {
		return notice(fmt.Sprintf("%s is %s, over the limit of %s.", cut(escape(name), 100), upload.Size(int64(att.Size)), upload.Size(lim.Upload.MaxAttachment)))
	}
	if r.fetcher == nil {
		return notice("This Footnote cannot download attachments.")
	}
	data, err := r.fetcher.Fetch(q.ctx, att.URL, lim.Upload.MaxAttachment)
	if err != nil {
		var ue *upload.Error
		if errors.As(err, &ue) {
			return notice(ue.Msg)
		}
		r.log.Warn("downloading an upload failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("The attachment could not be downloaded. Try again in a moment.")
	}
	files, skipped, err := upload.Unpack(name, data, lim.Upload)
	if err != nil {
		var ue *upload.Error
		if errors.As(err, &ue) {
			return notice(escape(ue.Msg))
		}
		return notice("The attachment could not be read.")
	}
	rep, err := r.guilds.Add(q.ctx, q.i.GuildID, userID(q.i), files, skipped)
	var rej *corpus.Rejected
	switch {
	case errors.As(err, &rej):
		return reply(true, []*discordgo.MessageEmbed{rejectedEmbed(name, rej)}, nil)
	case err != nil:
		r.log.Error("adding to a server's corpus failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, the upload could not be stored. Nothing was added; the error has been logged.")
	}
	r.log.Info("server corpus changed", "guild_id", logclip.String(q.i.GuildID), "user_id", logclip.String(userID(q.i)),
		"added_entries", rep.Added, "files", len(rep.Files), "version", rep.Version)
	return reply(true, []*discordgo.MessageEmbed{addedEmbed(name, rep, lim)}, nil)
}

// rejectedEmbed lists why an upload was refused, file:line first.
func rejectedEmbed(name string, rej *corpus.Rejected) *discordgo.MessageEmbed {
	var b strings.Builder
	fmt.Fprintf(&b, "Nothing was added: %s. Fix %s and send the file again.\n\n",
		plural(len(rej.Problems), "problem", "problems"), pick(len(rej.Problems) == 1, "it", "them"))
	for k, p := range rej.Problems {
		if k == maxProblems {
			fmt.Fprintf(&b, "…and %d more.", len(rej.Problems)-k)
			break
		}
		fmt.Fprintf(&b, "• %s\n", problemLine(p))
	}
	return &discordgo.MessageEmbed{
		Title:       cut("Upload refused: "+escape(oneLine(name)), 200),
		Description: strings.TrimSpace(b.String()),
		Color:       colorError,
	}
}

// problemLine shows one load problem: `file:line` and what is wrong.
func problemLine(p *knowledge.LoadError) string {
	where := ""
	switch {
	case p.File != "" && p.Line > 0:
		where = fmt.Sprintf("`%s:%d` ", cut(p.File, 120), p.Line)
	case p.File != "":
		where = fmt.Sprintf("`%s` ", cut(p.File, 120))
	}
	return where + cut(escape(oneLine(p.Err.Error())), 250)
}

func addedEmbed(name string, rep corpus.AddReport, lim corpus.Limits) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Title: cut(fmt.Sprintf("Added %s from %s", plural(rep.Added, "entry", "entries"), escape(oneLine(name))), 200),
		Description: fmt.Sprintf("This server's corpus now has %s. Members can ask about them at once.",
			plural(rep.Total, "entry", "entries")),
		Color: colorEntry,
	}
	var files strings.Builder
	for k, f := range rep.Files {
		if k == 10 {
			fmt.Fprintf(&files, "…and %d more", len(rep.Files)-k)
			break
		}
		fmt.Fprintf(&files, "`%s`: %s\n", cut(f.Name, 100), plural(f.Entries, "entry", "entries"))
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Files", Value: cut(strings.TrimSpace(files.String()), maxFieldValue)})
	if len(rep.Replaced) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Replaced (same name)", Value: codeList(rep.Replaced, 10)})
	}
	if len(rep.Shadowed) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Stand in for shared entries (in this server)", Value: codeList(rep.Shadowed, 10)})
	}
	if len(rep.Warnings) > 0 {
		var w strings.Builder
		for k, p := range rep.Warnings {
			if k == maxWarnings {
				fmt.Fprintf(&w, "…and %d more", len(rep.Warnings)-k)
				break
			}
			fmt.Fprintf(&w, "• %s\n", problemLine(p))
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Warnings (added all the same)", Value: cut(strings.TrimSpace(w.String()), maxFieldValue)})
	}
	if len(rep.Skipped) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Not entries (not indexed)", Value: codeList(rep.Skipped, 10)})
	}
	return e
}

// codeList shows names as code, at most n, counting the rest.
func codeList(names []string, n int) string {
	var parts []string
	for k, s := range names {
		if k == n {
			parts = append(parts, fmt.Sprintf("…and %d more", len(names)-k))
			break
		}
		parts = append(parts, "`"+cut(strings.ReplaceAll(s, "`", "'"), 80)+"`")
	}
	return cut(strings.Join(parts, ", "), maxFieldValue)
}

// corpusList answers /corpus list and its page buttons.
func (r *Router) corpusList(q *request, page int, edit bool) *discordgo.InteractionResponse {
	own, err := r.guilds.Own(q.ctx, q.i.GuildID)
	if err != nil {
		r.log.Error("reading a server's corpus failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, this server's corpus could not be read just now.")
	}
	lim := r.guilds.Limits()
	e := &discordgo.MessageEmbed{Title: "This server's own entries", Color: colorEntry}
	entries := []*knowledge.Entry{}
	if own.Index != nil {
		entries = own.Index.Entries()
	}
	pages := max(1, (len(entries)+listPageSize-1)/listPageSize)
	page = min(max(page, 0), pages-1)
	if len(entries) == 0 {
		e.Description = "None yet. A member with Manage Server can add notes with `/corpus add` (.md, .txt or .jsonl files, or a .zip of them)."
	} else {
		var b strings.Builder
		for _, en := range entries[page*listPageSize : min(len(entries), (page+1)*listPageSize)] {
			fmt.Fprintf(&b, "**%s** `%s` — %s\n", cut(escape(oneLine(en.Title)), 80), cut(en.ID, 60), cut(escape(en.File), 60))
		}
		e.Description = strings.TrimSpace(b.String())
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s in %s, %s of %s · sources: %s · page %d of %d",
		plural(len(entries), "entry", "entries"), plural(len(own.Files), "file", "files"),
		upload.Size(own.Bytes()), upload.Size(lim.MaxBytes), q.settings.EffectiveSources(), page+1, pages)}
	var comps []discordgo.MessageComponent
	if pages > 1 {
		comps = rows(&discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: "/corpus/list/" + strconv.Itoa(max(page-1, 0)), Disabled: page == 0},
			discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: "/corpus/list/" + strconv.Itoa(min(page+1, pages-1)), Disabled: page == pages-1},
		}})
	}
	if edit {
		return update([]*discordgo.MessageEmbed{e}, comps)
	}
	return reply(true, []*discordgo.MessageEmbed{e}, comps)
}

// corpusListPage answers the list's Previous and Next buttons.
func (r *Router) corpusListPage(q *request) *discordgo.InteractionResponse {
	if r.guilds == nil || q.i.GuildID == "" {
		return unknown(q.i)
	}
	n, err := strconv.Atoi(q.params["n"])
	if err != nil {
		n = 0
	}
	return r.corpusList(q, n, mayUpdate(q.i))
}

// corpusRemove answers /corpus remove entry: by id (what autocomplete
// gives) or exact title; never the closest match, which would remove an
// entry no one named.
func (r *Router) corpusRemove(q *request, opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
	if !canManage(q.i) {
		return notice(notManager)
	}
	name, _ := stringOption(opts, "entry")
	name = strings.TrimSpace(name)
	own, err := r.guilds.Own(q.ctx, q.i.GuildID)
	if err != nil {
		r.log.Error("reading a server's corpus failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, this server's corpus could not be read just now.")
	}
	if own.Index == nil {
		return notice("This server's corpus has no entries of its own to remove.")
	}
	e, ok := resolveEntry(own.Index, name)
	if !ok {
		e, ok = own.Index.Named(name)
	}
	if !ok {
		msg := fmt.Sprintf("This server's corpus has no entry named “%s”.", cut(escape(oneLine(name)), 100))
		var close []string
		for _, m := range own.Index.LookupTitle(name, 3) {
			close = append(close, "**"+cut(escape(oneLine(m.Title)), 80)+"** (`"+cut(m.EntryID, 60)+"`)")
		}
		if len(close) > 0 {
			msg += " The closest: " + strings.Join(close, ", ") + ". Pick one from the list as you type."
		}
		return notice(msg)
	}
	rep, err := r.guilds.Remove(q.ctx, q.i.GuildID, e.ID)
	switch {
	case errors.Is(err, corpus.ErrNoSuchEntry):
		return notice("That entry is no longer in this server's corpus.")
	case err != nil:
		r.log.Error("removing from a server's corpus failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, the entry could not be removed. The error has been logged.")
	}
	r.log.Info("server corpus changed", "guild_id", logclip.String(q.i.GuildID), "user_id", logclip.String(userID(q.i)),
		"removed", logclip.String(rep.ID), "version", rep.Version)
	how := fmt.Sprintf("its file `%s` went with it", cut(rep.File, 100))
	if !rep.FileGone {
		how = fmt.Sprintf("its line was taken out of `%s`", cut(rep.File, 100))
	}
	return notice(fmt.Sprintf("Removed **%s** (`%s`): %s. This server's corpus now has %s.",
		cut(escape(oneLine(rep.Title)), 100), cut(rep.ID, 80), how, plural(rep.Total, "entry", "entries")))
}

// completeOwn offers the server's own entries to /corpus remove.
func (r *Router) completeOwn(q *request) *discordgo.InteractionResponse {
	if r.guilds == nil || q.i.GuildID == "" {
		return choices(nil)
	}
	own, err := r.guilds.Own(q.ctx, q.i.GuildID)
	if err != nil || own.Index == nil {
		return choices(nil)
	}
	d, _ := commandData(q.i)
	_, opts := subcommand(d)
	d.Options = opts
	cp := *q.i
	cp.Data = d
	return r.complete(&request{ctx: q.ctx, i: &cp, ix: own.Index, params: q.params, settings: q.settings})
}

// corpusExport answers /corpus export with the server's files as a .zip.
func (r *Router) corpusExport(q *request) *discordgo.InteractionResponse {
	zipped, n, err := r.guilds.Export(q.ctx, q.i.GuildID)
	if err != nil {
		r.log.Error("exporting a server's corpus failed", "err", err, "guild_id", logclip.String(q.i.GuildID))
		return notice("Sorry, the corpus could not be exported. The error has been logged.")
	}
	if n == 0 {
		return notice("This server's corpus has no files of its own yet: nothing to export.")
	}
	if len(zipped) > maxExportBytes {
		return notice(fmt.Sprintf("The export is %s, more than Discord lets a bot attach. Ask the bot's operator for a copy.", upload.Size(int64(len(zipped)))))
	}
	resp := notice(fmt.Sprintf("This server's corpus: %s as they were added, %s zipped. Unzip it into a folder to edit it, check it with `footnote check --knowledge FOLDER`, and send it back with `/corpus add`.",
		plural(n, "file", "files"), upload.Size(int64(len(zipped)))))
	resp.Data.Files = []*discordgo.File{{Name: "corpus-" + q.i.GuildID + ".zip", ContentType: "application/zip", Reader: bytes.NewReader(zipped)}}
	return resp
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
