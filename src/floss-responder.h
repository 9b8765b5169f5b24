/*
 * floss-responder: the mail auto-responder of the French government's free
 * software mission.  One header for the whole program, prototypes grouped
 * by the file that defines them, in the order of the data's path:
 *
 *   raw message -> message.c (MIME, charsets, HTML, quotes)
 *               -> screen.c (machine mail, untrusted senders)
 *               -> classify.c (one-pass matcher, scores, decision)
 *               -> compose.c (the reply, MIME)
 *
 * Conventions, true of every function below unless its comment says
 * otherwise:
 *  - Memory returned to the caller belongs to the caller and is freed with
 *    the matching *_free(), which accepts NULL.
 *  - A function that can fail returns 0 on success and -1 on failure, and
 *    on failure sets *cause to an allocated sentence for a person (the
 *    caller frees it).
 *  - Strings are UTF-8 and NUL-terminated; raw message bytes are not and
 *    always travel with their length.
 */

#ifndef FLOSS_RESPONDER_H
#define FLOSS_RESPONDER_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <time.h>

#define printflike(a, b) __attribute__((format(printf, a, b)))

/* xmalloc.c: allocation that cannot fail (aborts with a message). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
/* Frees n allocated strings and the array that holds them (NULL: none). */
void	 strv_free(char **, size_t);
/* Whether s is one of the n strings of v. */
int	 strv_has(const char *s, const char **v, size_t n);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) printflike(1, 2);
char	*xvasprintf(const char *, va_list) printflike(1, 0);

/* log.c: OpenBSD-style logging, stderr in the foreground, else syslog. */
void	log_init(int foreground, int facility);
/* 1 when logs go to stderr, 0 when to syslog. */
int	log_getforeground(void);
void	log_setverbose(int);
int	log_getverbose(void);
void	log_warn(const char *, ...) printflike(1, 2);
void	log_warnx(const char *, ...) printflike(1, 2);
void	log_info(const char *, ...) printflike(1, 2);
void	log_debug(const char *, ...) printflike(1, 2);
__attribute__((noreturn)) void fatal(const char *, ...) printflike(1, 2);
__attribute__((noreturn)) void fatalx(const char *, ...) printflike(1, 2);

/* buf.c: a growable byte buffer, always NUL-terminated after data[len]. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};
void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t);	/* room for that many more */
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) printflike(2, 3);
char	*buf_steal(struct buf *);	/* returns data, leaves buf empty */
/* The 32-bit FNV-1a hash of n bytes, for the hash tables of strings. */
uint32_t fnv1a(const void *, size_t n);

/* errors.c: a list of "file:line:column: problem" sentences, so that a
 * check reports every error of a run, not just the first. */
struct errors {
	char	**v;
	size_t	  n;
};
void	errors_add(struct errors *, const char *file, size_t line,
	    size_t col, const char *, ...) printflike(5, 6);
void	errors_drop_last(struct errors *);
void	errors_free(struct errors *);
/* What kind of failure a mailbox or a delivery met: one that may heal by
 * itself (the server down, a timeout, a 4xx: try again later), or one that
 * a person must mend -- the login refused (the password), or the
 * configuration (a certificate not trusted or for another name, the wrong
 * TLS mode for the port, a password missing). */
enum failkind { FAIL_TEMP, FAIL_AUTH, FAIL_CONFIG };
extern const char *failkind_names[];	/* temporary, authentication... */
/* The exit status for it: EX_TEMPFAIL, EX_NOPERM or EX_CONFIG. */
int	failkind_exit(enum failkind);

/* utf8.c: decoding, validation, and the folding used by the matcher. */
int	 utf8_valid(const char *, size_t);
/* Appends text made safe for a terminal, as less(1) shows it: C0 controls
 * and DEL as ^X (ESC is ^[), C1 controls as <U+009B>, bytes that are not
 * UTF-8 as <9B>; newlines and tabs kept only with lines set. */
void	 utf8_vis(struct buf *, const char *, size_t, int lines);
char	*utf8_vis_string(const char *, int lines);	/* allocated */
/* 1 when a string holds a byte outside ASCII: an address that only SMTP
 * with SMTPUTF8 (RFC 6531) could carry. */
int	 str_8bit(const char *);
/* mutf7.c: a folder name (UTF-8) as IMAP writes it, allocated; NULL when
 * it is not valid UTF-8. */
char	*mutf7_encode(const char *);
size_t	 utf8_decode(const unsigned char *, size_t, uint32_t *);
/* How many bytes s starts with that are ASCII (below 0x80). */
size_t	 ascii_span(const char *s, size_t len);
void	 utf8_encode(struct buf *, uint32_t);
/*
 * Fold text for matching: lower case, accents stripped (é->e, œ->oe),
 * every run of characters that are neither letters nor digits turned into
 * one space, with one space at both ends.  Appends to out.
 */
void	 fold_text(struct buf *out, const char *, size_t);
char	*fold_string(const char *);	/* allocated fold_text() */
/* fold_text() into dst, which has room for 3 * len + 3 bytes; returns the
 * length written (a NUL follows). */
size_t	 fold_to(char *dst, const char *, size_t);
/* The same, with the end of each sentence marked in place of its space:
 * '?' a question, '.' a statement, ';' a line before a list item, ':' a
 * line that ends with ':' before a list or a blank line ("Two
 * questions:"); the matcher reads them all as spaces. */
void	 fold_sentences(struct buf *out, const char *, size_t);
/* fold_sentences(), and in *head the length of what the first cut bytes
 * folded to (further if a character crosses cut). */
void	 fold_sentences_head(struct buf *out, const char *, size_t,
	     size_t cut, size_t *head);
/* The same fold, piece by piece, for a scan that holds little: each call
 * puts into out (emptied first) the fold of the next max bytes or so of the
 * text, with marks (fold_sentences) or without (fold_text), and returns 1;
 * 0 once all was given.  The pieces, end to end, are the whole fold.  st
 * starts zeroed. */
struct fold_state {
	size_t	i;		/* the next byte to read */
	int	space;		/* the last byte written is a space */
	int	mark;		/* the last mark written, no word since */
	int	begun;
	int	done;
};
int	 fold_piece(struct buf *out, const char *, size_t len, size_t max,
	     int marks, struct fold_state *st);

/* charset.c: text from any declared charset to UTF-8. */
/* Appends the UTF-8 form of in to out; returns 0, or -1 when the label was
 * not known and the bytes were read as UTF-8 or windows-1252 instead. */
int	 charset_to_utf8(struct buf *out, const char *label, const char *in,
	     size_t len);
/* The same, stopping once out holds max bytes (a character is never cut):
 * text that grows threefold as UTF-8 cannot make memory do so. */
int	 charset_to_utf8_max(struct buf *out, const char *label,
	     const char *in, size_t len, size_t max);
/* Does charset_to_utf8() give valid UTF-8 under that label as it is? */
int	 charset_keeps_utf8(const char *label);
/* Repairs UTF-8 that was decoded as windows-1252, Latin-1 or Mac Roman and
 * encoded again ("Ã©", "√©" for "é"); returns the number of repairs. */
size_t	 mojibake_repair(struct buf *);
/* Decodes a raw header value: unfolds it, decodes RFC 2047 words, reads raw
 * 8-bit bytes as UTF-8 or windows-1252, repairs mojibake and turns every
 * control character into a space.  The result is allocated. */
char	*header_decode(const char *raw, size_t len);
/* The value of a hexadecimal digit (either case), or -1. */
int	 hex_value(int c);
/* [byte]: the value of a base64 digit (RFC 2045's alphabet), or -1. */
const signed char *base64_values(void);

/* html.c: HTML to text.  Tags, comments, style and script are dropped,
 * entities decoded, blocks become lines, blockquotes become "> " lines; a
 * NUL byte is read as a space. */
void	 html_to_text(struct buf *out, const char *html, size_t len);
/* A web link of an HTML part: where it goes, and what a reader sees. */
struct link {
	char	*href;		/* "http:", "https:", "//" or "www.", entities
				   decoded, cut at LINK_MAX_HREF bytes */
	char	*text;		/* between <a> and </a> as text, UTF-8, cut at
				   LINK_MAX_TEXT bytes */
};
#define LINK_MAX	32	/* links kept of a message */
#define LINK_MAX_HREF	512
#define LINK_MAX_TEXT	200
struct links {
	struct link	*v;	/* owned */
	size_t		 n;
};
/* html_to_text(), adding the web links of <a href> to links (LINK_MAX at
 * most in all). */
void	 html_to_text_links(struct buf *out, const char *html, size_t len,
	     struct links *);
void	 links_free(struct links *);

/* message.c: a raw RFC 5322 message, read. */
struct header {
	char	*name;		/* as written */
	char	*value;		/* raw, unfolded, not decoded */
	size_t	 namelen;
	uint32_t key;		/* its length and first and last bytes, for
				   a quick test (message.c) */
	unsigned short next;	/* 1 + the next header of the same bucket
				   of hdrfirst, 0 for none */
};
/*
 * The first address of a field of addresses (From, Reply-To, Sender,
 * Return-Path), with what the field held: a field that holds anything but
 * one plain address names no one sender for sure.
 */
#define ADDR_GROUP	0x01	/* a group ("team: a@x, b@y;"), even empty */
#define ADDR_BAD	0x02	/* not RFC 5322 addresses: nothing kept */
#define ADDR_AMBIGUOUS	0x04	/* another reading gives another address:
				   '<' or '>' in a comment or quoted string,
				   a route, or the last "<...>" of the field
				   is not the address read */
struct address {
	char	*name;		/* decoded display name, or NULL */
	char	*addr;		/* local@domain, lower-cased domain, or NULL;
				   a quoted local part keeps its quotes */
	int	 n;		/* addresses the field held (groups' too) */
	int	 flags;		/* ADDR_* */
};
#define MSG_REPORT	0x01	/* multipart/report somewhere */
#define MSG_CALENDAR	0x02	/* text/calendar somewhere */
#define MSG_HTMLONLY	0x04	/* the text came from HTML */
#define MSG_MOJIBAKE	0x08	/* mojibake was repaired */
#define MSG_NOTEXT	0x10	/* no text part at all */
#define MSG_FORWARD	0x20	/* a forwarded message was read */
#define MSG_CHARSET	0x40	/* a charset label was unknown */
#define MSG_TOODEEP	0x80	/* MIME nesting or size past the limits */
#define MSG_TEXTCUT	0x100	/* the text, decoded, was cut at twice the
				   message's size */
#define MSG_ANSWER	0x200	/* the text quotes the notice of one of the
				   responder's automatic answers */
#define MSG_PAGEFILE	0x400	/* an HTML page (or SVG) sent as a file */
struct message {
	const char	*raw;		/* foreign: the caller keeps it alive */
	size_t		 rawlen;
	struct header	*hdrs;		/* point into hdrdata */
	size_t		 nhdrs;
	char		*hdrdata;
	/* 1 + the first header whose key is i modulo MSG_HDR_BUCKETS, 0 for
	 * none: message_header() reads the headers of one bucket. */
#define MSG_HDR_BUCKETS	32
	unsigned short	 hdrfirst[MSG_HDR_BUCKETS];
	char		*subject;	/* decoded, "" when absent */
	struct address	 from;
	struct address	 reply_to;
	struct address	 sender;	/* the Sender field */
	char		*return_path;	/* address, "" for <>, NULL if absent
					   or unreadable */
	int		 return_path_flags; /* ADDR_*, and ADDR_BAD when the
					   field held more than one address */
	char		*message_id;	/* with <>, NULL when absent or bad */
	char		*references;	/* ids with <>, space separated */
	const char	*date;		/* raw Date value, in hdrdata */
	size_t		 textlen;	/* every text part, decoded: its
					   length (the own words are read
					   from it, then it goes) */
	char		*own;		/* the sender's own words: no quotes,
					   signatures or disclaimers */
	size_t		 ownlen;
	char		*fwd;		/* the words of a message he forwards
					   (read only: "" is not allocated) */
	size_t		 fwdlen;
	int		 flags;		/* MSG_* */
	int		 nparts;
	int		 nattach;
	struct links	 links;		/* of the HTML parts read */
};
/* Limits on what the reader will take apart. */
#define MSG_MAX_DEPTH	32
#define MSG_MAX_PARTS	512
int	 message_parse(const char *raw, size_t len, struct message **,
	     char **cause);
void	 message_free(struct message *);
/* The line at p, before end: returns its length without the CR LF and
 * sets *next where the next line starts (end after the last one). */
size_t	 line_next(const char *p, const char *end, const char **next);
/* The first header of that name (case-insensitive), raw, or NULL:
 * message_header(msg, name) is message_header_len() given strlen(name),
 * which the compiler counts for a literal name. */
const char *message_header_len(const struct message *, const char *name,
	     size_t len);
#define message_header(msg, name) \
	message_header_len((msg), (name), strlen(name))
/* The field of that name after the field after (NULL: the first), in the
 * order of the message, or NULL: message_field(msg, name, f) in a loop
 * reads them all. */
const struct header *message_field(const struct message *, const char *name,
	     const struct header *after);

/* address.c: the addresses of a header field (RFC 5322 3.4). */
/* The domain of an address ("" when none); points into addr. */
const char *address_domain(const char *addr);
/* Whether domain d is base or one of its subdomains (case aside; never
 * when base is ""). */
int	 domain_under(const char *d, const char *base);
/* Reads a field of addresses: the first one into a (name and addr, to be
 * freed with address_free()), how many there were and the ADDR_* flags.
 * 0 when at least one address was read, else -1 (nothing to free). */
int	 address_parse(const char *value, struct address *);
/* Why a field read by address_parse() does not name one sender for sure,
 * for a reason ("is a group"...), or NULL when it does. */
const char *address_problem(const struct address *);
void	 address_free(struct address *);

/* mime.c: the text of a message's body, every part read. */
/* Appends to text the text parts of the body (UTF-8), sets the flags,
 * parts and attachments of msg. */
void	 mime_read(struct message *, const char *body, size_t len,
	     struct buf *text);
/* What a Content-Type value says, as libetpan's parser reads it: the type
 * ("text", "multipart", "message", "other" for image, audio, video and
 * application, or the extension's name) and subtype, lower case, cut at
 * CTYPE_MAX - 1 bytes, and the charset and boundary parameters; text/plain
 * and no parameter when the value is NULL or does not parse. */
#define CTYPE_MAX	64
struct ctype {
	char	 type[CTYPE_MAX];
	char	 sub[CTYPE_MAX];
	char	*charset;	/* owned, NULL when none */
	char	*boundary;	/* owned, NULL when none */
};
void	 ctype_read(struct ctype *, const char *value, size_t len);
void	 ctype_clear(struct ctype *);
/* Appends to out a part's body of len bytes with its transfer encoding
 * (MAILMIME_MECHANISM_BASE64 or _QUOTED_PRINTABLE) undone, as libetpan's
 * mailmime_part_parse() undoes it once a last escape cut short ("=4") is
 * dropped. */
void	 mime_decode(struct buf *out, int mechanism, const char *body,
	     size_t len);

/* text.c: the sender's own words, apart from what he quotes. */
/* Appends to own the lines of text (UTF-8) that the sender wrote: lines
 * after an attribution ("Le ... a écrit :", "On ... wrote:", an Outlook
 * header block) unless the quote below it is marked with '>' (his words
 * between its blocks are his), "> " lines, signatures, disclaimers and
 * lines that are mostly the responder's own texts (text_known()) are left
 * out; thanks before more words do not end them.  The words of a
 * forwarded message, read by the same rules, go to fwd.  Returns the
 * TEXT_* flags. */
#define TEXT_ANSWER	0x01	/* the notice of an automatic answer is
				   quoted somewhere in the text */
int	 text_own(struct buf *own, struct buf *fwd, const char *text,
	     size_t len);
/* The same, the own words written over text (no second copy). */
int	 text_own_inplace(struct buf *text, struct buf *fwd);
/* The responder's own texts, as a set of the runs of eight words
 * they hold (links left out); the notice's runs are marked. */
struct known;
struct known *known_new(void);
void	 known_add(struct known *, const char *, size_t, int notice);
size_t	 known_count(const struct known *);	/* runs held */
void	 known_free(struct known *);
/* The texts text_own() leaves out from now on (foreign: kept until
 * text_forget() of the same set; NULL: none). */
void	 text_known(const struct known *);
void	 text_forget(const struct known *);

/* matcher.c: all patterns of all topics in one pass (Aho-Corasick). */
struct matcher;
struct matcher *matcher_new(void);
/* Adds a folded pattern (" word " or " prefix"); returns its id, the
 * number of patterns added before it. */
uint32_t matcher_add(struct matcher *, const char *folded);
/* The same, the scan giving it the id given. */
uint32_t matcher_add_id(struct matcher *, const char *folded, uint32_t);
void	 matcher_build(struct matcher *);
size_t	 matcher_npatterns(const struct matcher *);
size_t	 matcher_nstates(const struct matcher *);
/* Calls fn for each pattern occurrence in folded text, in text order. */
typedef void (*matcher_cb)(uint32_t id, size_t end, void *arg);
void	 matcher_scan(const struct matcher *, const char *, size_t,
	     matcher_cb, void *);
/* The same over a text given in pieces: state is 0 for the first piece,
 * then what the previous call returned; base is where the piece starts in
 * the whole text (the ends given to fn count from there). */
uint32_t matcher_scan_piece(const struct matcher *, uint32_t state,
	     const char *, size_t len, size_t base, matcher_cb, void *);
void	 matcher_free(struct matcher *);
/* The id of the pattern that ends first in folded text, or -1. */
int	 matcher_first(const struct matcher *, const char *, size_t);

/* ydoc.c: libyaml documents with 1-based positions for error messages. */
#include <yaml.h>
struct ydoc {
	char		*file;
	yaml_document_t	 doc;
	int		 loaded;
	size_t		 line0;	/* added to every line (front matter) */
};
int	 ydoc_load(struct ydoc *, const char *file, const char *buf,
	     size_t len, size_t line0, struct errors *);
void	 ydoc_free(struct ydoc *);
yaml_node_t *ydoc_root(struct ydoc *);
yaml_node_t *ydoc_node(struct ydoc *, int);
yaml_node_t *ydoc_get(struct ydoc *, yaml_node_t *map, const char *key);
const char *ydoc_scalar(yaml_node_t *);	/* NULL if not a scalar */
void	 ydoc_error(struct ydoc *, struct errors *, yaml_node_t *,
	     const char *, ...) printflike(4, 5);
int	 ydoc_number(struct ydoc *, struct errors *, yaml_node_t *, double *);

/* config.c: the configuration file, driven by one key table. */
/* reply.to: Reply-To in the From's domain, in it or a subdomain, never. */
enum replyto_policy { REPLYTO_DOMAIN, REPLYTO_ALWAYS, REPLYTO_NEVER };
/* trust.without_verdict */
enum without_verdict { NOVERDICT_REVIEW, NOVERDICT_RETURN_PATH };
/* classify.follow_ups: a reply to one of the responder's answers goes to a
 * person, or is answered on what it newly asks. */
enum follow_ups { FOLLOWUP_REVIEW, FOLLOWUP_NEW };
struct strlist {
	char	**v;
	size_t	  n;
};
enum tls_mode { TLS_IMPLICIT, TLS_STARTTLS, TLS_NONE };
struct endpoint {		/* imap.* and smtp.* */
	char	*host;
	int	  port;		/* 0: the usual one for the TLS mode */
	int	  tls;		/* enum tls_mode */
	char	*user;
	char	*password_file;
	char	*password_env;
	char	*ca_file;	/* "": the system store */
	char	*tls_name;	/* "": host, for SNI and the certificate */
	int	  timeout;	/* seconds */
};
struct config {
	char	*path;
	char	*dir;			/* directory of path */
	char	*from_addr;		/* identity.address */
	char	*from_name;		/* identity.name */
	char	*msgid_domain;		/* identity.domain */
	char	**own;			/* own_addresses (from_addr first) */
	size_t	  nown;
	struct strlist authserv;	/* trust.authserv_id */
	struct strlist colleagues;	/* identity.colleagues */
	int	  without_verdict;	/* enum without_verdict */
	int	  replyto;		/* enum replyto_policy */
	double	  threshold;		/* classify.threshold */
	double	  margin;		/* classify.margin */
	double	  subject_weight;	/* classify.subject_weight */
	int	  max_topics;		/* classify.max_topics */
	double	  signal_ratio;		/* classify.signal_ratio */
	double	  second_ratio;		/* classify.second_ratio */
	int	  follow_ups;		/* enum follow_ups */
	int	  quote_lines;		/* reply.quote_lines */
	char	*rules_path;		/* rules (resolved against dir) */
	char	*replies_dir;		/* replies (resolved against dir) */
	char	*replies_local;		/* replies_local; "" none */
	char	*include_dir;		/* include; "" none */
	char	*entities_path;		/* entities; "" none */
	char	*weights_path;		/* classify.weights; "" none */

	/* Where mail comes from and where replies go (see source.c). */
	int	  mailbox_type;		/* enum mailbox_type */
	char	*mailbox_path;		/* mailbox.path (maildir) */
	int	  delivery_type;	/* enum delivery_type */
	char	*delivery_path;		/* delivery.path (outbox, sendmail) */
	char	*envelope_from;		/* delivery.envelope_from; "" = <> */
	char	*state_path;		/* state.path: the journal */
	int	  keep_days;		/* journal.keep_days, 0: forever */
	double	  max_size;		/* limits.max_size, bytes */
	int	  max_tries;		/* limits.max_tries */
	int	  per_sender_days;	/* limits.per_sender_days */
	int	  hourly_cap;		/* limits.hourly_cap */

	struct endpoint	 imap;
	char		*imap_folder;	/* imap.folder */
	int		 imap_batch;	/* imap.batch */
	int		 imap_idle;	/* imap.idle: 0 yes, 1 no */
	int		 poll_interval;	/* imap.poll_interval */
	struct endpoint	 smtp;

	int		 approval_all;	/* approval.all: 1 yes */
	char		**approval;	/* approval.topics */
	size_t		 napproval;

	char		*review_folder;	/* review.folder, UTF-8; "" none */
	int		 review_move;	/* review.move: 1 yes */
	char		*review_drafts;	/* review.drafts, UTF-8; "" none */
	char		*review_sent;	/* review.sent, UTF-8; "" none */
};
enum mailbox_type { MAILBOX_MAILDIR, MAILBOX_IMAP };
enum delivery_type { DELIVERY_OUTBOX, DELIVERY_SENDMAIL, DELIVERY_SMTP };
struct config *config_load(const char *path, struct errors *);
void	 config_free(struct config *);
/* Prints every key with its default and meaning (for --help-config). */
void	 config_describe(FILE *);
/* The same in roff, as floss-responder.yaml(5) lists them. */
void	 config_describe_roff(FILE *);
/* Text escaped for a man(7) page; the same as a sentence on its line. */
void	 roff_text(FILE *, const char *);
void	 roff_sentence(FILE *, const char *);
/* Reads a whole file, NUL-terminated; NULL with the reason in e. */
char	*config_read_file(const char *path, size_t *len, struct errors *);

/* entities.c: the markets' beneficiaries and covered software
 * (conf/entities.yaml, made from the code.gouv.fr pages). */
enum market { MARKET_SUPPORT, MARKET_EXPERTISE };
#define MARKET_COUNT 2
struct org {
	char	 *name;			/* as on the page */
	char	 *acronym;		/* or NULL */
	char	 *label[2];		/* how a sentence names it, fr, en */
	int	  plural;
	char	**names;		/* every written name, acronym first */
	size_t	  nnames;
	char	**exact;		/* those matched in their case only */
	size_t	  nexact;
	int	  markets;		/* 1 << MARKET_* */
	char	 *lot[MARKET_COUNT];	/* the only lot of a market, or NULL */
};
struct software {
	char	 *name;			/* as on the page */
	char	 *name_en;		/* in English replies, when the page's
					   is French ("Debian kernel"), or
					   NULL */
	int	  listed;		/* covered by the support market */
	char	**names;		/* every written name, name first */
	size_t	  nnames;
	char	**exact;
	size_t	  nexact;
};
struct edomain {
	char		*name;		/* lower case */
	size_t		 len;
	int		 org;		/* its organisation, or -2 */
};
struct entities {
	char		*path;
	char		*orgs_date, *orgs_url;	/* the beneficiaries' page */
	char		*sw_date, *sw_url;	/* the software list's page */
	struct org	*orgs;
	size_t		 norgs;
	struct software	*sw;		/* the listed ones, then the others */
	size_t		 nsw;
	struct edomain	*doms;		/* the organisations' domains and
					   those that tell none (the public's
					   mail providers, gouv.fr), sorted */
	size_t		 ndoms;
	uint32_t	*dslot;		/* doms by name: open addressing, a
					   domain's index + 1 a slot, 0 none */
	size_t		 dmask;		/* slots - 1, a power of two - 1 */
};
struct entities *entities_load(const char *path, struct errors *);
void	 entities_free(struct entities *);
/* What a sender's domain tells (a domain covers its subdomains; the
 * nearest one known decides): the index of the organisation it is, -2 when
 * it tells nothing of one (a mail provider of the public, a domain shared
 * by many bodies), -1 when it is an organisation's that none of the lists
 * has. */
int	 entities_lookup(const struct entities *, const char *domain);
/* Is the name written exactly so in text, as a whole word? */
int	 exact_in(const char *text, size_t len, const char *name);

/* rules.c: topics, their keywords, and the matcher built from them. */
enum action { ACT_REPLY, ACT_REVIEW, ACT_IGNORE };
const char *action_name(enum action);
enum lang { LANG_FR, LANG_EN };
#define LANG_COUNT 2

/* stem.c: Snowball stems of folded words (libstemmer). */
/* Appends to out the text t of len bytes (folded: words between spaces)
 * with each word replaced by its stem in language l, the spaces and the
 * marks of sentences kept; stops before a last word that no space ends
 * (the next piece may go on with it) and returns where it stopped. */
size_t	 stem_text(struct buf *out, const char *t, size_t len, enum lang);
/* A folded keyword stemmed, allocated; without a final space its last
 * word is a prefix, and stays one. */
char	*stem_string(const char *folded, enum lang);
void	 stem_free(void);

const char *lang_name(enum lang);
int	 lang_parse(const char *, enum lang *);

enum pattern_kind { PAT_KEYWORD, PAT_STOPWORD, PAT_ORG, PAT_SOFTWARE,
    PAT_OBJECT, PAT_INTENT, PAT_ASK, PAT_NEG, PAT_NOTNEG, PAT_NEGEND,
    PAT_SCREEN };
struct pattern {
	enum pattern_kind kind;
	int		 topic;		/* PAT_KEYWORD: index in topics;
					   PAT_ORG, PAT_SOFTWARE: index in
					   the entities' orgs or software;
					   PAT_OBJECT, PAT_INTENT: index in
					   the rules' objects or intents;
					   PAT_SCREEN: index in the screens'
					   phrases (screen_phrase()) */
	int		 exact;		/* PAT_ORG, PAT_SOFTWARE: text must be
					   written so, case included */
	enum lang	 lang;		/* PAT_STOPWORD: language it marks */
	double		 weight;
	char		*text;		/* as written in the rules */
	char		*folded;	/* folded, before stemming */
	size_t		 flen;		/* its length */
	uint32_t	*containers;	/* longer keywords of the same topic,
					   or longer objects, that contain
					   this one */
	size_t		 ncontainers;
};
/* A topic named by what a sentence is about (an object: the catalogue, a
 * licence) and what it wants of it (an intent: be listed, may we use):
 * both found in one sentence of the sender's. */
#define MAX_LEXICON	64	/* objects, intents: one bit each */
struct pair {
	int		 object;	/* index in the rules' objects */
	int		 intent;	/* index in the rules' intents */
	double		 weight;
	char		*text;		/* "object + intent", as written */
};
struct topic {
	char		*id;
	struct pair	*pairs;
	size_t		 npairs;
	uint64_t	 pair_objects;	/* the objects of its pairs, a bit
					   each */
	uint64_t	 pair_intents;	/* and their intents */
	enum action	 action;	/* reply or review */
	int		 signal;	/* not a topic of the spec: a sign that a
					   person must answer (interview, spam) */
	char		*why;		/* for signals: the reason shown */
};
struct seen {			/* strings, a hash set (rules.c) */
	char		**v;
	size_t		  n, size;
};
struct rules {
	char		*path;
	struct seen	 seen;		/* while loading: keywords given */
	struct topic	*topics;
	size_t		 ntopics;
	struct pattern	*patterns;	/* indexed by matcher id */
	size_t		 npatterns;
	char		**objects;	/* the lexicons' names */
	size_t		 nobjects;
	char		**intents;
	size_t		 nintents;
	int		 software;	/* the object "software", which any
					   software of the entities names too;
					   -1: none */
	int		 stemming;	/* "stemming: true": words and
					   keywords are stemmed */
	/* The patterns (stemmed in each language, with stemming; else the
	 * same matcher twice), and the stopwords as they are folded; the
	 * scans give pattern indices. */
	struct matcher	*matcher[LANG_COUNT];
	struct matcher	*stopwords;
};
struct entities;
/* The rules, with the names of the entities (when not NULL) in the same
 * matcher. */
struct rules *rules_load(const char *path, const struct entities *,
	    struct errors *);
void	 rules_free(struct rules *);
int	 rules_topic(const struct rules *, const char *id);
/* A feature's id for pair number pair of topic: the pairs of every topic
 * numbered after the patterns, in the topics' order. */
uint32_t rules_pair_id(const struct rules *, int topic, int pair);

/* replies.c: replies/<lang>/<topic>.md, front matter and Markdown. */
/* The sentences about what was recognised, from _frame.md; each is one
 * Markdown paragraph with {placeholders} (see replies.c).  The last is the
 * introduction of a reply a person sends (without it, intro). */
enum sentence { S_ORG_BOTH, S_ORG_BOTH_PL, S_ORG_ONE, S_ORG_ONE_PL,
    S_ORG_LOT, S_ORG_LOT_PL, S_ORG_UNKNOWN, S_ORG_ASK, S_ORGS_DATE,
    S_SW_LISTED, S_SW_LISTED_PL, S_SW_UNLISTED, S_SW_UNLISTED_PL,
    S_SW_UNKNOWN, S_SW_UNKNOWN_PL, S_SW_DATE, S_MARKET_SUPPORT,
    S_MARKET_EXPERTISE, S_AND, S_INTRO_PERSON, S_COUNT };
struct reply_doc {
	char	*path;
	char	*title;
	char	*body;		/* Markdown */
	size_t	 body_line;	/* line of the body's first line in path */
};
struct replies {
	char		 *dir;
	char		 *local;	/* files that replace dir's, or NULL */
	size_t		  nlocal;	/* the replies read from local */
	size_t		  nlocal_frames;	/* the frames read from it */
	struct reply_doc *docs;	/* [topic * LANG_COUNT + lang], may be empty */
	size_t		  ntopics;
	struct reply_doc  frame[LANG_COUNT];	/* _frame.md: its body is the
						   signature */
	struct {
		char	*greeting;	/* "Bonjour," */
		char	*intro;		/* before the answers */
		char	*automatic;	/* the notice after them */
		char	*quoted;	/* before the quoted question */
		char	*sentence[S_COUNT];	/* or NULL: not said */
	} frame_text[LANG_COUNT];
};
/* Each file is read from local (NULL or "": none) when it is there, else
 * from dir. */
struct replies *replies_load(const char *dir, const char *local,
	    const struct rules *, struct errors *);
void	 replies_free(struct replies *);
const struct reply_doc *replies_get(const struct replies *, int topic,
	    enum lang);
/* "{{organisations}}" or "{{software}}" when the block is that paragraph
 * (a place for say_entities()), else NULL. */
#include <cmark.h>
const char *reply_slot(cmark_node *);

/* core.c: configuration, rules and replies, loaded together. */
struct core {
	struct config	*conf;
	struct rules	*rules;
	struct replies	*replies;
	struct entities	*entities;	/* NULL when none is configured */
	struct known	*known;		/* the replies' texts, which the
					   own words of a message leave out
					   (text_known()) */
	struct weights	*weights;	/* classify.weights, or NULL: the
					   rules' weights */
	struct lure_targets *targets;	/* the domains a sender's may
					   imitate (screen-lure.c), made
					   with the core */
	unsigned char	*marks;		/* [2 * pattern]: classify_read()'s
					   marks of the patterns, all zero
					   between messages */
};
struct core *core_load(const char *config_path, struct errors *);
/* With CORE_NEW_WEIGHTS, a classify.weights file that does not exist yet
 * is no error: the rules' weights apply (learn, which writes it). */
#define CORE_NEW_WEIGHTS	0x1
struct core *core_load_flags(const char *config_path, int flags,
	    struct errors *);
void	 core_free(struct core *);

/* screen.c: machine-generated mail and senders not to answer. */
struct screen_rule {
	const char	*name;
	enum action	 action;	/* ACT_IGNORE or ACT_REVIEW */
	/* Returns 1 and sets *why (allocated) when the rule fires. */
	int		(*match)(const struct core *, const struct message *,
			    char **why);
	const char	*(*desc)(void);
};
extern const struct screen_rule *screen_rules[];
/* The rules in their order, each with its action and desc() (help). */
void	 screen_describe(FILE *);
/* The first rule that fires, with its reason, or NULL. */
const struct screen_rule *screen(const struct core *,
	    const struct message *, char **why);
/* screen-lure.c: the domains of the responder and of the organisations, as
 * the look-alike test reads them, made once for a core. */
struct lure_targets *lure_targets_new(const struct core *);
void	 lure_targets_free(struct lure_targets *);
/*
 * screen.c: the screens' phrases, folded, that classify's scan finds with
 * the keywords (rules.c adds them to its matcher, as PAT_SCREEN): the
 * lists of the screens that read words, one after the other.
 * screen_phrase(): phrase i of them all, or NULL past the last;
 * screen_phrases_from(): the index of a list's first.  Each screen gives
 * its list's phrase i, or NULL past its last.
 */
#define SCREEN_PHRASES_MAX 512
enum phrase_list { PL_LURE, PL_VACATION_SUBJECT, PL_VACATION_BODY,
    PL_COUNT };
const char *screen_phrase(size_t i);
size_t	 screen_phrases_from(enum phrase_list);
const char *lure_phrase(size_t i);
const char *vacation_phrase(enum phrase_list, size_t i);
/* screen.c: the pairs of words in a row of some phrases, which tell when
 * one of them may go across a sentence's mark of words folded with their
 * marks ("dernier . rappel"): classify's scan reads a mark as a phrase's
 * end, the screens read the words without the marks. */
struct phrase_pairs {
	struct matcher	*m;		/* " one two ", or " one two" when two
					   ends a phrase that a longer word
					   may go on */
	uint64_t	 firsts[64];	/* their first words, a bit each of a
					   hash */
};
void	 phrase_pairs_add(struct phrase_pairs *, const char *phrase);
void	 phrase_pairs_build(struct phrase_pairs *);
/* Whether the words on both sides of a run of marks of text (folded with
 * marks, NUL-terminated), before len, are a pair. */
int	 phrase_pairs_across(const struct phrase_pairs *, const char *text,
	     size_t len);
/* What decide() folds once of a message for the screens and classify: the
 * whole subject (fold_text()) and, when they fit in one piece of
 * classify's scan, the sender's own words with their sentence marks
 * (fold_sentences()); else own.len is 0 and each reader folds its own. */
#define READ_HEAD	400	/* bytes of his words an out-of-office
				   notice is looked for in */
struct reading {
	const struct message	*msg;
	struct buf		 subject;
	struct buf		 own;
	size_t			 own_head;	/* what the first READ_HEAD
						   bytes folded to in own */
	/* The screens' phrases that classify's scan of the subject and of
	 * own found, each once a field, in the order found (phrases_read is
	 * 0 when the scan does not look for them: then the screens do). */
	int			 phrases_read;
	struct phrase_hit {
		uint16_t	 id;		/* screen_phrase()'s index */
		uint8_t		 body;		/* own, not the subject */
		size_t		 end;		/* just past it, in subject or
						   own */
	}			 phrases[2 * SCREEN_PHRASES_MAX];
	size_t			 nphrases;
	unsigned char		 phrase_seen[SCREEN_PHRASES_MAX]; /* 1 subject,
						   2 own */
};
/* classify.c: what decide() reads of msg (rd to be given to
 * reading_free()). */
void	 reading_init(struct reading *rd, const struct message *msg);
void	 reading_free(struct reading *rd);
/* screen() with what was read of the message (rd may be NULL). */
const struct screen_rule *screen_read(const struct core *,
	    const struct message *, const struct reading *rd, char **why);
/* While screen_read() runs: what was read of msg, or NULL. */
const struct reading *screen_reading(const struct message *);
/* Whether the message replies to one of the mission's answers: 1 and *why
 * (allocated) saying how it shows, else 0. */
int	 follows_answer(const struct core *, const struct message *,
	     char **why);

/* lang.c and classify.c: the decision. */
#define MAX_TOPICS 8
#define MAX_REASONS 48
#define MAX_ENTITIES 12
/* What decided, as the decision is made (verdict_names: "reply",
 * "screened", ...); the reason sentence that says it is reasons[vreason]. */
enum verdict {
	VD_REPLY,		/* the topics asked, each clear */
	VD_SCREENED,		/* a screening rule (rule names it) */
	VD_SIGNAL,		/* a sign that a person must answer */
	VD_NO_KEYWORD,		/* no keyword of any topic */
	VD_CONTEXT,		/* context words only, none strong */
	VD_THRESHOLD,		/* no topic reaches the threshold */
	VD_UNASKED,		/* what the text asks names no topic */
	VD_MARGIN,		/* the main topic leads too little */
	VD_PERSON,		/* a topic only a person answers */
	VD_NO_REPLY,		/* no reply text in the language */
	VD_APPROVAL,		/* approval: replies wait for a person */
	VD_LIMIT,		/* the per-sender or hourly limit */
	VD_HELD,		/* another responder's claim, left behind */
	VD_AGAIN,		/* a follow-up asks about what its thread
				   was about */
	VD_COUNT
};
extern const char *verdict_names[VD_COUNT];

struct decision {
	enum action	 action;
	enum verdict	 verdict;
	size_t		 vreason;		/* its reason, in reasons */
	enum lang	 lang;
	int		 topics[MAX_TOPICS];	/* main first */
	double		 tscore[MAX_TOPICS];
	size_t		 ntopics;
	double		*scores;		/* [ntopics of the rules] */
	size_t		 nscores;
	char		*reasons[MAX_REASONS];
	size_t		 nreasons;
	const char	*rule;			/* screening rule, or NULL */
	int		 lang_fr, lang_en;	/* stopword counts */
	/* What the message names: organisations (from the text, else the
	 * sender's own by its domain) and software, in text order. */
	struct recognised {
		enum pattern_kind kind;		/* PAT_ORG or PAT_SOFTWARE */
		int		  index;	/* in the entities */
		int		  sender;	/* the sender's domain said it */
	}		 ents[MAX_ENTITIES];
	size_t		 nents;
	char		*unlisted;	/* the sender's domain, when it is an
					   organisation's but none of the
					   lists' */
	/* Set by the caller before decide() (classify, reply): a reason
	 * line for what each topic found and one for the language, for a
	 * person who reads them.  Without it the reasons are those that
	 * decided (the screen's, the verdict's), all that the daemon
	 * records. */
	int		 detail;
	/* Set by the caller before decide() (classify --json): the
	 * sentences that carried a keyword, as the classifier read them, and
	 * what each topic found, are kept too. */
	int		 explain;
	struct unitview {
		const char	*field;		/* "subject", "body", "forward" */
		int		 asks;
		char		 mark;		/* '?', '.', ';', ':', 0: the
						   field's end */
		char		*text;		/* folded, cut at 160 bytes */
	}		*sentences;
	size_t		 nsentences;
	char		**evidence;	/* [nscores]: a topic's keywords and
					   pairs with their points, or NULL */
	/* Set by the caller before decide() (learn): what each counted
	 * keyword and pair was worth per unit of its weight -- its place,
	 * the Subject's multiplier, a sentence that asks or not -- summed by
	 * feature: a keyword's pattern id, or rules_pair_id(). */
	int		 features_on;
	struct feature {
		uint32_t	 id;
		int		 topic;
		double		 x;
	}		*features;
	size_t		 nfeatures;
};
void	 decision_init(struct decision *);
/* Frees what a decision holds and inits it again. */
void	 decision_clear(struct decision *);
void	 decision_reason(struct decision *, const char *, ...)
	     printflike(2, 3);
/* The one route from a message to a decision: screen, then classify. */
void	 decide(const struct core *, const struct message *,
	     struct decision *);
/* The same from raw bytes: a message that cannot be read is filed for
 * review with the reason (returns -1 then, and *msgp is NULL). */
int	 decide_raw(const struct core *, const char *, size_t,
	     struct message **, struct decision *);
/* The topic ids of a decision, main first, comma-separated, allocated. */
char	*decision_topics(const struct core *, const struct decision *);
/* The reason that decided (the screening rule, a signal, the missing
 * threshold...), for logs and the queue; NULL when there is none. */
const char *decision_verdict(const struct decision *);
/* Classification alone (no screening), for tests and the benchmark. */
void	 classify(const struct core *, const struct message *,
	     struct decision *);

/* render.c: Markdown to text/plain and text/html. */
#include <cmark.h>
char	*render_text(cmark_node *, int width);
/* Appends the inline content of a block: hard breaks as '\n' and a link as
 * its text and its address; or, flat, on one line and the links' text
 * alone (what a reader reads of it). */
void	 render_inlines(cmark_node *, struct buf *, int flat);
/* quote.c: a block quote of the sentences of the sender's own words that
 * ask what the reply answers (max of them, as the classifier read them),
 * each cut at its end; NULL when none of the body asks (the caller quotes
 * the first lines). */
cmark_node *quote_asked(const struct core *, const struct message *,
	    const struct decision *reply, int max);
/* compose.c: whether a short line is a greeting ("Bonjour,", "Madame,
 * Monsieur,"), not worth quoting. */
int	 reply_greeting(const char *, size_t);
char	*render_html(cmark_node *);
/* A text node of n bytes of s: what it holds is never read as Markdown. */
cmark_node *text_node(const char *s, size_t n);

/* say.c: what a reply says about the organisations and software named. */
extern const char *say_placeholders[];	/* {org}, {software}... */
/* "2022-01-18" as a reader of that language writes it, allocated. */
char	*say_date(const char *iso, enum lang);
/* The first {placeholder} of a sentence that is not one, or NULL. */
const char *say_check(const char *);
/* The user data of the links of those sentences: such a link gives way
 * to the same one given by the text of a reply (compose.c). */
extern const char say_link_mark;
/* What a reply has said so far, and who sends it. */
struct say {
	int		 said;		/* SAY_ORGS, SAY_SOFTWARE */
	int		 person;	/* a person sends it: no sentence that
					   asks to reply to an automatic one */
};
#define SAY_ORGS	0x1
#define SAY_SOFTWARE	0x2
/* Appends to parent the blocks that stand for a "{{organisations}}" or
 * "{{software}}" paragraph (what names which): the sentences, then the
 * date of the list; for organisations, when none is identified, that the
 * message does not tell.  Nothing when a kind was said already, or when
 * no software is named.  1 when added. */
int	 say_entities(cmark_node *parent, const struct core *,
	     const struct message *, const struct decision *,
	     const char *what, struct say *);
/* Whether the message asks if the sender's organisation may use the
 * markets: the topic whose reply says {{organisations}} is answered, or
 * reaches the threshold beside a main topic whose pairs are all about the
 * same object (the markets). */
int	 say_eligibility_asked(const struct core *, const struct decision *);
/* The names of products the sender writes that the entities do not know,
 * where the words around them say they are software ("le logiciel Foo",
 * "Foo, GLPI et Bar", "Foo est-il couvert"): up to max, each allocated,
 * in text order; returns how many. */
size_t	 say_unknown_products(const struct core *, const struct message *,
	     const struct decision *, char **names, size_t max);

/* rfc2047.c: header encoding. */
/* Writes "Name: value" folded at 78 columns, value RFC 2047 encoded when
 * it is not printable ASCII.  CR and LF never reach the output. */
void	 rfc2047_header(struct buf *, const char *name, const char *value);
/* Writes "Name: value" of a structured field (References) folded at its
 * spaces, never encoded; a line passes 78 columns only for a word that
 * does not fit, and the caller keeps words short. */
void	 header_fold(struct buf *, const char *name, const char *value);

/* compose.c: the reply message. */
struct compose_opts {
	time_t		 now;		/* 0: time(NULL) */
	const char	*message_id;	/* NULL: a fresh one */
	const char	*markdown;	/* the body an operator wrote, or
					 * NULL: the one the topics give */
	int		 draft;		/* a person sends it (queue send or
					 * edit, a draft): no Auto-Submitted,
					 * no notice that it is automatic */
};
/* The complete reply for a decision whose action is reply (or the
 * suggestion for a review one); 0, or -1 with *cause. */
int	 compose_reply(const struct core *, const struct message *,
	     const struct decision *, const struct compose_opts *,
	     struct buf *out, char **cause);
/* The text a reply would have (its text/plain part), allocated; opts as
 * for compose_reply() (NULL: an automatic reply). */
char	*reply_text(const struct core *, const struct message *,
	     const struct decision *, const struct compose_opts *);
/* The Markdown a reply would be rendered from, allocated: with draft set,
 * what an operator edits. */
char	*reply_markdown(const struct core *, const struct message *,
	     const struct decision *, const struct compose_opts *);
/* A fresh Message-ID on the domain, with its <>. */
char	*new_message_id(const char *domain, time_t now);
/* The address a reply goes to, following the config's policy, or NULL. */
const char *reply_address(const struct config *, const struct message *);

/* journal.c: outcomes and replies, in SQLite. */
enum jstate { J_NEW, J_TRYING, J_SENDING, J_REPLIED, J_REVIEW, J_IGNORED,
    J_RETRY };
struct jentry {
	const char	*mailbox;	/* the source's id */
	const char	*key;		/* the message's key in it */
	enum jstate	 state;
	int		 tries;
	const char	*message_id, *sender, *topics, *action, *lang;
	const char	*reply_id, *reason;	/* NULL: unchanged */
	const char	*verdict;	/* verdict_names[], NULL: unchanged */
	time_t		 when;
	const char	*raw;		/* J_REVIEW: the message, for the */
	size_t		 rawlen;	/* queue (NULL: not read) */
};
struct journal;
struct journal	*journal_open(const char *path, char **cause);
/* -1 with *cause when the process is root and path (or its directory) is
 * another user's: what root would write there would be root's. */
int		 journal_owner(const char *path, char **cause);
/* The owner of the journal's directory (the service's user, when it is
 * not root): 0, or -1 when the directory cannot be read. */
int		 journal_dir_owner(const char *path, uid_t *uid);
void		 journal_close(struct journal *);
/* The name of the responder that keeps the journal (eight hex digits,
 * made when the journal was): its claims in a shared mailbox carry it. */
const char	*journal_instance(struct journal *);
/* 1 when this open created the journal (nothing was ever recorded) and
 * it was not asked yet. */
int		 journal_fresh(struct journal *);
const char	*jstate_name(enum jstate);
/* The state and tries of a message (J_NEW and 0 when unknown). */
int		 journal_get(struct journal *, const char *mailbox,
		     const char *key, enum jstate *, int *tries, char **cause);
/* When this responder first saw a message of the mailbox held by
 * another one's claim (now, the first time): noted once, purged with the
 * rest after journal.keep_days. */
int		 journal_held(struct journal *, const char *mailbox,
		     const char *key, const char *claim, time_t now,
		     time_t *since, char **cause);
/* Writes an entry in one committed transaction; a J_REPLIED entry adds
 * one row a topic to the reply history, a J_REVIEW one files the message
 * in the review queue (once). */
int		 journal_put(struct journal *, const struct jentry *,
		     char **cause);
/* The key of a message of the mailbox with that Message-ID whose reply
 * was handed over (accepted, or perhaps: an interrupted send), or NULL:
 * the same message under a new UID after a UIDVALIDITY change, or
 * delivered twice, is not answered twice. */
int		 journal_answered(struct journal *, const char *mailbox,
		     const char *message_id, const char *self, char **key,
		     enum jstate *, char **cause);
/* The review queue. */
struct qentry {
	long long	 id;
	time_t		 created;
	char		*state;		/* open sending sent dismissed
					 * answered (from a mail client) */
	char		*why, *topics, *lang;	/* the suggestion */
	char		*verdict;	/* what decided, or NULL */
	char		*handled_by;
	time_t		 handled_at;
	char		*raw;		/* the message, NULL if not kept */
	size_t		 rawlen;
};
/* The open entries (every one with all), oldest first. */
int		 journal_queue_list(struct journal *, int all,
		     struct qentry **, size_t *, char **cause);
int		 journal_queue_get(struct journal *, long long id,
		     struct qentry *, char **cause);
/* With msgid NULL, how many entries of the mailbox are open; otherwise
 * the open entry of the message with that Message-ID, or 0. */
int		 journal_queue_open(struct journal *, const char *mailbox,
		     const char *msgid, long long *id, char **cause);
/* The Message-IDs (allocated) of the open entries of the mailbox, oldest
 * first, and when the oldest was filed. */
int		 journal_queue_ids(struct journal *, const char *mailbox,
		     char ***ids, size_t *n, time_t *oldest, char **cause);
/* Moves an entry from one state to another, atomically: 0, 1 when it was
 * not in the state from (another operator was first), -1 on error. */
int		 journal_queue_move(struct journal *, long long id,
		     const char *from, const char *to, const char *by,
		     const char *reply_id, time_t when, char **cause);
/* Settles an entry being sent as sent by an operator, in one transaction:
 * the reply's id, the topics (comma-separated) and language of what was
 * sent -- in the entry, the message's row and the reply history (one row
 * a topic, with the operator). */
int		 journal_queue_sent(struct journal *, long long id,
		     const char *reply_id, const char *topics, const char *lang,
		     const char *sender, const char *by, time_t when,
		     char **cause);
void		 qentry_clear(struct qentry *);

/* What journal_purge() forgot, or would. */
struct jpurge {
	int	raw;		/* messages of closed review entries */
	int	queue;		/* closed review entries */
	int	messages;	/* rows of messages */
	int	replies;	/* rows of the reply history */
};
/*
 * Forgets what is older than keep_days at now: the message kept with a
 * closed review entry (sent, dismissed, answered); the row of a message
 * of that mailbox whose outcome is settled, unless its review entry is
 * open or it is one of keys -- the messages the mailbox still offers to
 * handle, which would be answered again without it (mailbox NULL: the
 * mailbox is unknown, no row of a message goes); a closed entry whose
 * message's row went; reply-history rows older than keep_days and than
 * per_sender_days.  With dry_run, counts only.  Deleted data is
 * overwritten in the file.
 */
int		 journal_purge(struct journal *, time_t now, int keep_days,
		     int per_sender_days, const char *mailbox,
		     char *const *keys, size_t nkeys, int dry_run,
		     struct jpurge *, char **cause);

/* The summary behind "stats" (see cmd-stats.c). */
struct jstat_row {
	char	key[64];		/* a period, or a topic id */
	int	messages, replied, review, ignored;
};
struct jstats {
	struct jstat_row	*periods;
	size_t			 nperiods;
	struct jstat_row	*topics;	/* by main topic */
	size_t			 ntopics;
	int			 sent;		/* replies operators sent from
						   the queue */
	int			 sent_other;	/* of them, on other topics
						   than suggested */
	int			 open;		/* entries of the review queue
						   open */
	time_t			 open_oldest;	/* the oldest came, or 0 */
	time_t			 last_pass;	/* the last whole pass ended,
						   or 0 */
};
int		 journal_stats(struct journal *, time_t since, int weekly,
		     struct jstats *, char **cause);
void		 jstats_free(struct jstats *);
/* A pass of once or run that looked at every message ended then. */
int		 journal_pass(struct journal *, time_t, char **cause);
/* Replies since a time: those to a sender on a topic (whoever sent them),
 * or when sender is NULL the automatic replies (one a reply, whatever
 * number of topics it answers). */
int		 journal_count(struct journal *, const char *sender,
		     const char *topic, time_t since, int *n, char **cause);

/* source-*.c: where new mail is read. */
struct source_msg {
	char		*key;		/* stable key in the mailbox */
	size_t		 size;		/* bytes */
	char		*data;		/* the raw message once read */
	size_t		 len;
	void		*priv;		/* the source's */
	const char	*held_by;	/* another responder's claim, which
					   holds the message: the source's,
					   valid until the next next() */
};
struct source;
enum unqueue { UNQ_DISMISSED, UNQ_SENT, UNQ_CLIENT };
struct source_ops {
	const char	*name;
	/* Connects (IMAP) or checks the mailbox: 0, or -1 (temporary). */
	int		(*open)(struct source *, char **cause);
	/* Lists what is new since the last scan: 0 or -1. */
	int		(*scan)(struct source *, char **cause);
	/* The next message: 1, 0 when there is none left, -1 on error.
	 * Unless the source is readonly, a message is claimed in the
	 * mailbox for this responder (src->instance) before it is given: a
	 * message that shows an outcome is never given, one that another
	 * responder has claimed only with held_by set, so that two
	 * responders on one mailbox answer each message once (and a claim
	 * left by a responder that is gone can be seen to grow old). */
	int		(*next)(struct source *, struct source_msg *,
			    char **cause);
	/* Reads the message's bytes into it: 0 or -1. */
	int		(*read)(struct source *, struct source_msg *,
			    char **cause);
	/* Records the outcome in the mailbox itself (a keyword, a flag),
	 * where it outlives the journal. */
	int		(*mark)(struct source *, const struct source_msg *,
			    enum jstate, char **cause);
	/* Waits until new mail may be there (IDLE, or the poll interval)
	 * or *stop is set: 1 to scan again, 0 when stopped, -1 on error. */
	int		(*wait)(struct source *, volatile sig_atomic_t *stop,
			    char **cause);
	void		(*close)(struct source *);
	const char	*(*desc)(struct source *);
	/* Files a message for a person where operators look (review.folder)
	 * with the suggested reply as a draft (review.drafts) when there is
	 * one: 0 or -1.  NULL when the mailbox has no such place. */
	int		(*file)(struct source *, const struct source_msg *,
			    const char *draft, size_t len, char **cause);
	/* Shows that the message with this Message-ID left the review
	 * queue -- sent or dismissed from the command line, or answered from
	 * a mail client -- and removes its draft: 0 or -1.  NULL when there
	 * is nothing to show. */
	int		(*unqueue)(struct source *, const char *msgid,
			    enum unqueue, char **cause);
	/* Which of the messages waiting for review (their Message-IDs,
	 * open, the oldest filed at since) a mail client answered:
	 * \Answered set, a reply to it in the Sent folder (review.sent), or
	 * its draft gone from review.drafts.  The Message-IDs are
	 * allocated: 0 or -1.  NULL when it cannot be told. */
	int		(*answered)(struct source *, char *const *open,
			    size_t nopen, time_t since, char ***ids,
			    size_t *n, char **cause);
};
struct source {
	const struct source_ops	*ops;
	const struct config	*conf;
	char			*id;		/* for the journal */
	void			*data;
	const char		*instance;	/* foreign: journal_instance(),
						   the name its claims carry */
	int			 readonly;	/* a dry run: no claim, no mark */
	enum failkind		 fail;		/* set by the op that failed */
};
extern const struct source_ops source_maildir, source_imap;
void	 source_msg_clear(struct source_msg *);
/* Sleeps that many seconds, or less when *stop is set: 1, or 0 if
 * stopped. */
int	 nap(int seconds, volatile sig_atomic_t *stop);

/* deliver-*.c: how replies leave. */
enum dstatus { DLV_OK, DLV_TEMP, DLV_PERM, DLV_UNKNOWN };
struct delivery;
struct delivery_ops {
	const char	*name;
	/* Once a batch (one SMTP connection): 0 or -1 (temporary); end()
	 * is called after it either way. */
	int		(*begin)(struct delivery *, char **cause);
	/* DLV_OK once the reply was accepted; DLV_TEMP when it surely was
	 * not but may be later; DLV_PERM when it never will; DLV_UNKNOWN
	 * when it cannot be told. */
	enum dstatus	(*send)(struct delivery *, const char *from,
			    const char *rcpt, const char *data, size_t len,
			    char **cause);
	void		(*end)(struct delivery *);
	const char	*(*desc)(struct delivery *);
};
struct delivery {
	const struct delivery_ops	*ops;
	const struct config		*conf;
	void				*data;
	int				 begun;	/* begin() was called */
	int				 failed; /* and failed */
	enum failkind			 fail;	/* set by the op that failed */
};
/* The source and the delivery the configuration names. */
void	 source_init(struct source *, const struct config *);
void	 delivery_init(struct delivery *, const struct config *);
/* Begins a batch on first use (so that no SMTP connection is opened when
 * there is nothing to send), and ends it. */
int	 delivery_begin(struct delivery *, char **cause);
void	 delivery_end(struct delivery *);
extern const struct delivery_ops deliver_outbox, deliver_sendmail,
    deliver_smtp;

/* tls.c: certificates checked, secrets read. */
struct mailstream_ssl_context;
/* The handshake callback that sets SNI; data is the host name. */
void	 tls_sni(struct mailstream_ssl_context *, void *);
/* Verifies the peer of a TLS stream (a libetpan mailstream *) against
 * cafile, or the system store when empty, and the host name. */
int	 tls_verify(void *stream, const char *host, const char *cafile,
	     char **cause);
/* The name e's certificate is verified for and SNI sends: its tls_name,
 * or its host when that is empty; foreign (into e). */
char	*tls_name(const struct endpoint *e);
/* A password from an environment variable (when env is set) or the first
 * line of a file; "" when neither is configured. */
char	*secret_read(const char *file, const char *env, char **cause);
/* Reads the environment variable env (a password) into memory, where
 * secret_read() finds it, and removes it from the environment; nothing
 * when it is not set.  core_load() takes imap.password_env and
 * smtp.password_env, before any child is started. */
void	 secret_take(const char *env);
/* Forgets (and overwrites) the passwords taken. */
void	 secrets_clear(void);
struct sockaddr;
/* 1 when the address is a loopback one: 127.0.0.0/8, ::1, ::ffff:127.x. */
int	 addr_loopback(const struct sockaddr *);
/* 1 when the peer of a connected libetpan mailstream * is on a loopback
 * address, 0 otherwise or when it cannot be told. */
int	 peer_loopback(void *stream);
/* Why a connection to e's port failed when its TLS mode does not fit the
 * port -- the handshake failed (handshake) on a port that greets in clear,
 * or no greeting came (stream) from a port that speaks TLS -- as a
 * sentence naming key's tls ("smtp", "imap") and the usual ports, or NULL;
 * allocated. */
char	*tls_mode_mistake(const struct endpoint *e, int port, int handshake,
	     int stream, const char *key);

/* process.c: the mailbox through the core, every outcome journalled. */
struct run_opts {
	int		 dry_run;	/* decide and log only */
	time_t		 now;		/* 0: time(NULL) */
	volatile sig_atomic_t *stop;	/* set: finish the message in hand */
};
struct run_stats {
	size_t		 seen, replied, review, ignored, retry, failed;
	size_t		 answered;	/* review answered from a client */
};
/* Handles every message of the source not yet finished; 0, or -1 with
 * *cause when the source or the delivery failed (try again later). */
int	 process_run(const struct core *, struct journal *, struct source *,
	     struct delivery *, const struct run_opts *, struct run_stats *,
	     char **cause);

/* labels.c: labelled mail, a directory's labels.yaml. */
struct label {
	char		*file;			/* dir/file, or "queue ID" */
	char		*raw;			/* the message of a queue entry
						   (NULL: read file) */
	size_t		 rawlen;
	enum action	 action;		/* spam: ACT_IGNORE */
	int		 topics[MAX_TOPICS];	/* asked, main first */
	size_t		 ntopics;
};
struct labels {
	struct label	*v;
	size_t		 n;
};
/* Appends the labels of dir/labels.yaml to l (zeroed before the first
 * call); 0, or -1 with the errors at file:line:column in e (the labels
 * read before the first error stay). */
int	 labels_load(struct labels *, const struct rules *, const char *dir,
	     struct errors *);
/* Appends the operators' decisions of the review queue's entries q[n]
 * that still hold their message: sent with topics (a reply on those
 * topics), dismissed (no reply, no topic).  Entries still open, being
 * sent, or answered from a mail client say nothing, nor do automatic
 * decisions, which no person looked at.  Returns how many were added. */
size_t	 labels_queue(struct labels *, const struct rules *,
	     const struct qentry *q, size_t n);
void	 labels_free(struct labels *);

/* weights.c: the points of the rules' keywords and pairs, fitted on
 * labelled mail (classify.weights; written by learn). */
struct weights {
	char		*path;
	char		*fitted_on;	/* the date the file gives, or NULL */
	double		 threshold;	/* classify.threshold they are for */
	size_t		 tline, tcol;	/* where the file says it */
	double		*w;		/* [n]: a feature's points per unit,
					   by pattern id or rules_pair_id() */
	size_t		 n;
	size_t		 fitted;	/* features the file names */
};
/* The weights of path for the rules r; NULL with file:line:column errors
 * in e.  Keywords and pairs the file does not name weigh their topic's
 * scale times their weight in the rules. */
struct weights *weights_load(const char *path, const struct rules *,
	    struct errors *);
void	 weights_free(struct weights *);
/* A feature's weight in the rules (pattern id or rules_pair_id()). */
double	 weights_hand(const struct rules *, uint32_t id);
/* What learn writes: the fitted points and where they come from. */
struct wfigures {
	int	replies, right, answerable;
	int	asked, answered;	/* topics, in the right replies */
	int	unsafe;			/* replies to what is ignored */
};
struct wfile {
	const char	*date;		/* YYYY-MM-DD */
	double		 threshold, precision, probability;
	struct winput {
		const char	*source;
		size_t		 messages;
	}		*inputs;
	size_t		 ninputs;
	int		 folds;
	struct wfigures	 cv;		/* the fitted weights, out of fold */
	const double	*scale;		/* [ntopics] */
	const double	*w;		/* [features] */
	const unsigned char *seen;	/* [features]: fitted, written */
};
void	 weights_write(struct buf *, const struct rules *,
	     const struct wfile *);

/* learn.c: a topic's weights fitted on labelled mail (L2-regularised
 * logistic regression, Newton's method; deterministic). */
struct lr_problem {
	size_t			 n;	/* samples */
	size_t			 d;	/* features, the intercept apart */
	const double		*x;	/* [n * d], a sample a row: foreign */
	const unsigned char	*y;	/* [n]: 1 when the topic was asked */
	const double		*prior;	/* [d]: where the penalty pulls each
					   weight, or NULL for 0: foreign */
	double			 l2;	/* the penalty, > 0 */
	int			 fixed_b; /* the intercept is b0, not fitted */
	double			 b0;
	const double		*offset; /* [n]: added to each sample's
					   logit, or NULL: foreign */
	const double		*soft;	/* [n]: the probability each sample
					   asks, in place of y, or NULL:
					   foreign */
	int			 warm;	/* w (and b) hold where to start,
					   not the prior */
};
/* Fits w[d] and the intercept b; 0, or -1 and *cause. */
int	 lr_fit(const struct lr_problem *, double *w, double *b,
	     char **cause);
/* The probability that a sample x[d] asks the topic. */
double	 lr_predict(const double *w, double b, const double *x, size_t d);
/* b + w . x: the score lr_predict() turns into a probability. */
double	 lr_score(const double *w, double b, const double *x, size_t d);

/* json.c: a tiny JSON writer. */
void	 json_string(struct buf *, const char *);
/* One decision as a JSON object on one line (the classify --json form). */
void	 json_decision(struct buf *, const struct core *, const char *file,
	     const struct decision *);

/* file.c: a message file ("-": standard input) read whole, NUL-terminated
 * after len bytes. */
char	*read_message(const char *path, size_t *len, char **cause);
/* Writes all of data, through interruptions: 0, or -1 with errno. */
int	 write_all(int fd, const char *data, size_t len);
/* The directory of path, as dirname(3) says it ("." for a bare name).
 * Allocated. */
char	*path_dir(const char *path);

#endif
