// Package bot runs Footnote as a Discord bot: configuration from the
// environment (Config, LoadConfig, WithDotEnv), the gateway transport and
// its lifecycle (NewSession, Bot), the transport-neutral logic that answers
// every interaction within Discord's 3 seconds (Responder), and the HTTP
// interactions transport.
//
// The answers themselves come from package commands; nothing here knows
// what a command means.
//
// DISCORD_API_URL points every REST call at another base URL (a shared
// rate-limit proxy, or the fake Discord of internal/discordtest); see
// HTTPClient for how, and why not by reassigning discordgo's endpoint
// variables.
package bot
