/*
 * A growable byte buffer.  data is NUL-terminated after len bytes once
 * anything was added, so that text buffers can be used as strings.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->size = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Makes room for more bytes and a NUL; the callers look first whether
 * there is room already, as there is for most additions. */
static void
buf_grow(struct buf *b, size_t more)
{
	size_t	need = b->len + more + 1;

	if (need <= b->size)
		return;
	if (b->size == 0)
		b->size = 64;
	while (b->size < need)
		b->size *= 2;
	b->data = xreallocarray(b->data, 1, b->size);
}

void
buf_reserve(struct buf *b, size_t n)
{
	if (b->size - b->len <= n)
		buf_grow(b, n);
	b->data[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->size - b->len <= n)
		buf_grow(b, n);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, int c)
{
	if (b->size - b->len <= 1)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	/* Most writes fit in the room left: one pass then. */
	if (b->size - b->len < 128)
		buf_grow(b, 128);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("buf_printf: bad format");
	if ((size_t)n < b->size - b->len) {
		b->len += (size_t)n;
		return;
	}
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
buf_steal(struct buf *b)
{
	char	*p;

	if (b->data == NULL)
		return (xstrdup(""));
	p = b->data;
	buf_init(b);
	return (p);
}

uint32_t
fnv1a(const void *p, size_t n)
{
	const unsigned char	*c = p;
	uint32_t		 h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *c++) * 16777619u;
	return (h);
}
