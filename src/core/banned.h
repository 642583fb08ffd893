/*
 * banned.h - calls SIREN code may not make.
 *
 * Included last by every .c file. Each banned function becomes a compile
 * error naming its replacement: sr_buf_printf for the sprintf family, sized
 * memcpy for the string copies, sr_parse_i64 for atoi/atol, gmtime_r and
 * localtime_r for the non-reentrant time calls, randombytes_buf for rand.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_BANNED_H
#define SR_BANNED_H

#define SR_BANNED(func) sorry_##func##_is_banned_in_siren

#undef sprintf
#define sprintf(...) SR_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SR_BANNED(vsprintf)
#undef strcpy
#define strcpy(...) SR_BANNED(strcpy)
#undef strcat
#define strcat(...) SR_BANNED(strcat)
#undef strncpy
#define strncpy(...) SR_BANNED(strncpy)
#undef strncat
#define strncat(...) SR_BANNED(strncat)
#undef strtok
#define strtok(...) SR_BANNED(strtok)
#undef gets
#define gets(...) SR_BANNED(gets)
#undef atoi
#define atoi(...) SR_BANNED(atoi)
#undef atol
#define atol(...) SR_BANNED(atol)
#undef gmtime
#define gmtime(...) SR_BANNED(gmtime)
#undef localtime
#define localtime(...) SR_BANNED(localtime)
#undef rand
#define rand(...) SR_BANNED(rand)

#endif
