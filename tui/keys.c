/* keys.c: reading keys from the terminal (wide input, PuTTY's and xterm's sequences) and key tables. */
#include "config.h"

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

#include "tui-internal.h"

#define KEYS_SS3_WAIT_MS	100	/* for the final of Esc O, as curses waits for Esc's */

/* The sequences registered besides the terminal description's: PuTTY's defaults and xterm's. */
static const struct {
	const char	*seq;
	int		 code;
} keys_extra[] = {
	{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },	/* PuTTY (and rxvt) */
	{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
	{ "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) },		/* xterm */
	{ "\033OR", KEY_F(3) }, { "\033OS", KEY_F(4) },
	{ "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) },
	{ "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) },
	{ "\033[20~", KEY_F(9) }, { "\033[21~", KEY_F(10) },
	{ "\033[23~", KEY_F(11) }, { "\033[24~", KEY_F(12) },
	{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },		/* PuTTY */
	{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },		/* xterm */
	{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
	{ "\033[2~", KEY_IC }, { "\033[3~", KEY_DC },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN },
	{ "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
	{ "\033OA", KEY_UP }, { "\033OB", KEY_DOWN },
	{ "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
	{ "\033[Z", KEY_BTAB },
};

/*
 * The keypad in application mode (keypad(TRUE) sends smkx): SS3 (Esc O) and one final
 * character, as PuTTY, xterm and the VT100 send them, mapped to the keys they stand for.
 */
static const struct {
	char	final;
	int	key;
} keys_keypad[] = {
	{ 'p', '0' }, { 'q', '1' }, { 'r', '2' }, { 's', '3' }, { 't', '4' },
	{ 'u', '5' }, { 'v', '6' }, { 'w', '7' }, { 'x', '8' }, { 'y', '9' },
	{ 'M', '\r' }, { 'j', '*' }, { 'k', '+' }, { 'l', ',' }, { 'm', '-' },
	{ 'n', '.' }, { 'o', '/' }, { 'X', '=' },
};

/*
 * Register the extra key sequences with the current curses screen. The keypad's sequences
 * replace what the terminal description says of them (xterm's ka1 is Esc O w, the 7, but
 * PuTTY's is Esc O q, the 1): curses then returns the character itself.
 */
void
keys_init(void)
{
	char	seq[4];
	size_t	i;

	for (i = 0; i < sizeof keys_extra / sizeof keys_extra[0]; i++)
		define_key(keys_extra[i].seq, keys_extra[i].code);
	for (i = 0; i < sizeof keys_keypad / sizeof keys_keypad[0]; i++) {
		seq[0] = '\033';
		seq[1] = 'O';
		seq[2] = keys_keypad[i].final;
		seq[3] = '\0';
		define_key(seq, keys_keypad[i].key);
	}
}

/* Read one more character, waiting up to ms milliseconds; -1 if none came. */
static int
keys_next_wait(int ms)
{
	wint_t	wch;
	int	r;

	timeout(ms);
	r = get_wch(&wch);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES)
		return KEYS_FN | (int)wch;
	return (int)wch;
}

/* Read one more character without waiting; -1 if none is there. */
static int
keys_next_now(void)
{
	return keys_next_wait(0);
}

/*
 * The key an SS3 sequence (Esc O and final) stands for: a keypad key in application mode, or
 * KEYS_NONE for one that is not known (it is swallowed, never typed).
 */
static int
keys_ss3(int final)
{
	size_t	i;

	for (i = 0; i < sizeof keys_keypad / sizeof keys_keypad[0]; i++) {
		if (keys_keypad[i].final == final)
			return keys_keypad[i].key;
	}
	return KEYS_NONE;
}

/*
 * An Esc was read: if nothing follows at once it is a bare Esc; otherwise it starts an escape
 * sequence curses did not know (or Alt with a key), which is swallowed whole so that none of
 * it is ever typed into a field.
 */
static int
keys_escape(void)
{
	int	c, i;

	c = keys_next_now();
	if (c == -1)
		return KEYS_ESC;
	if (c == 'O') {
		/*
		 * SS3 and one final character: the keypad in application mode, or a key curses
		 * did not know. The final may trail the Esc O by a moment on a slow link.
		 */
		c = keys_next_wait(KEYS_SS3_WAIT_MS);
		if (c == -1 || (c & KEYS_FN))
			return KEYS_NONE;
		return keys_ss3(c);
	}
	if (c == '[') {
		/* CSI: parameters and intermediates up to a final byte. */
		for (i = 0; i < 64; i++) {
			c = keys_next_now();
			if (c == -1 || (c >= 0x40 && c <= 0x7e) || (c & KEYS_FN))
				break;
		}
	} else if (c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X') {
		/* A string: up to BEL or ESC \. */
		for (i = 0; i < 1024; i++) {
			c = keys_next_now();
			if (c == -1 || c == 7 || (c & KEYS_FN))
				break;
			if (c == KEYS_ESC) {
				(void)keys_next_now();
				break;
			}
		}
	}
	return KEYS_NONE;
}

/* Wait up to timeout_ms (negative: forever) for a key; KEYS_NONE if none came. */
int
keys_read(int timeout_ms)
{
	wint_t	wch;
	int	r;

	timeout(timeout_ms);
	r = get_wch(&wch);
	if (r == ERR)
		return KEYS_NONE;
	if (r == KEY_CODE_YES)
		return KEYS_FN | (int)wch;
	if (wch == KEYS_ESC)
		return keys_escape();
	return (int)wch;
}

/* Return true for a key that is a backspace: 8, 127 or the terminal's own. */
bool
keys_is_backspace(int key)
{
	return key == 8 || key == 127 || key == (KEYS_FN | KEY_BACKSPACE);
}

/* Return true for a key that is a printable character (never a control or a bidi override). */
bool
keys_is_text(int key)
{
	if (key < 0x20 || (key & KEYS_FN) || key > 0x10ffff)
		return false;
	if (key == 0x7f || (key >= 0x80 && key <= 0x9f))
		return false;
	if ((key >= 0x202a && key <= 0x202e) || (key >= 0x2066 && key <= 0x2069))
		return false;
	if (key >= 0xd800 && key <= 0xdfff)
		return false;
	return true;
}

/* Find the binding of a key in a table (an upper-case letter matches its lower case too). */
const struct tui_binding *
keys_find(const struct tui_binding *table, size_t n, int key)
{
	size_t	i, j;
	int	lower;

	lower = (key >= 'A' && key <= 'Z') ? key - 'A' + 'a' : key;
	for (i = 0; i < n; i++) {
		for (j = 0; j < 4 && table[i].keys[j] != 0; j++) {
			if (table[i].keys[j] == key || table[i].keys[j] == lower)
				return &table[i];
		}
	}
	return NULL;
}
