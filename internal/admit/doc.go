// Package admit decides whether costly work may start: a Pool bounds how
// many run at once and how many may wait for a turn, and Buckets give each
// key (a user, a server) its own token bucket. Neither knows what the work
// is; package bot applies them to Discord interactions.
package admit
