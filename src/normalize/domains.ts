/**
 * Registrable domains without the network: a compact public-suffix subset.
 *
 * `KNOWN_TLDS` decides whether a bare `word.tld` (no scheme, no `www.`) is a link: only common
 * generic and country TLDs count, so `e.g`, `i.e` or `file.txt` are not taken for links. A URL with
 * a scheme accepts any TLD. `MULTI_LABEL_SUFFIXES` are the second-level public suffixes under which
 * the registrable domain has three labels (`shop.example.co.uk` → `example.co.uk`).
 */
const TLDS =
  'com net org info biz io co me ru su ua by kz uz tj kg am az ge md lv lt ee pl cz sk hu ro bg rs hr si ba mk al gr tr cy ' +
  'de at ch nl be lu fr es pt it ie uk eu dk se no fi is li mt ' +
  'us ca mx br ar cl pe ve uy py bo ec cr pa do gt hn sv ni cu ' +
  'cn hk tw mo jp kr kp vn th la kh mm my sg id ph in pk bd lk np bt mv af ir iq sa ae qa kw bh om ye jo lb sy il ps eg ly tn dz ma ' +
  'ng gh ke tz ug rw et za zw zm mz ao cm ci sn ml ne bf tg bj ga cg cd mg mu sc ' +
  'au nz fj pg ws to tv nu tk ck ' +
  'xyz top site online live link click shop store app dev pro club vip win bet cash money finance fund capital ' +
  'exchange trade market bid loan loans credit cards games game casino poker vegas lol fun ' +
  'cc ws bz gg je im ac sh st io ai so ly to fm am pw cf ga gq ml tk cx la ' +
  'tech space website world today news blog page biz mobi name tel asia one best buzz icu cyou rest ' +
  'life work works zone group team tips guru email support services center company agency network ' +
  'social chat media digital cloud host hosting download stream video movie photo pics porn sex adult xxx dating ' +
  'ink wtf fyi rip sbs cfd bond ltd llc inc gmbh crypto nft'

export const KNOWN_TLDS: ReadonlySet<string> = new Set(TLDS.split(/\s+/).filter((t) => t.length > 0))

export const MULTI_LABEL_SUFFIXES: ReadonlySet<string> = new Set(
  (
    'co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk net.uk sch.uk ' +
    'com.au net.au org.au edu.au gov.au co.nz org.nz net.nz ' +
    'com.br net.br org.br gov.br com.ar com.mx com.co com.pe com.ve com.uy com.py com.bo com.ec ' +
    'co.jp ne.jp or.jp ac.jp go.jp co.kr or.kr ne.kr ' +
    'com.cn net.cn org.cn gov.cn com.hk net.hk org.hk com.tw net.tw org.tw com.sg com.my com.ph com.vn ' +
    'co.id or.id web.id my.id ac.id go.id co.in net.in org.in firm.in gen.in ind.in co.th in.th ac.th ' +
    'com.pk com.bd com.np com.lk com.sa com.ae com.qa com.kw com.eg com.tr net.tr org.tr gen.tr ' +
    'com.ua kiev.ua org.ua net.ua in.ua com.ru net.ru org.ru pp.ru msk.ru spb.ru com.kz org.kz com.by ' +
    'co.za org.za co.ke co.ng com.ng com.gh co.tz co.ug ' +
    'co.il org.il com.gr com.pl net.pl org.pl com.ro com.es com.pt co.at or.at ' +
    'github.io gitlab.io herokuapp.com vercel.app netlify.app pages.dev web.app firebaseapp.com ' +
    'blogspot.com wordpress.com tumblr.com wixsite.com weebly.com glitch.me repl.co'
  )
    .split(/\s+/)
    .filter((t) => t.length > 0),
)

/** Registrable domain of a lowercase host name (labels separated by dots, no port). */
export function registrableDomain(host: string): string {
  let end = host.length
  while (end > 0 && host.charCodeAt(end - 1) === 0x2e) end--
  const h = end === host.length ? host : host.slice(0, end)
  const d1 = h.lastIndexOf('.')
  if (d1 < 0) return h
  const d2 = h.lastIndexOf('.', d1 - 1)
  if (d2 < 0) return h // already two labels
  if (isIPv4(h)) return h
  const last2 = h.slice(d2 + 1)
  if (!MULTI_LABEL_SUFFIXES.has(last2)) return last2
  const d3 = h.lastIndexOf('.', d2 - 1)
  return d3 < 0 ? h : h.slice(d3 + 1)
}

function isIPv4(h: string): boolean {
  let labels = 1
  let len = 0
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i)
    if (c === 0x2e) {
      if (len === 0 || len > 3) return false
      labels++
      len = 0
    } else if (c >= 0x30 && c <= 0x39) len++
    else return false
  }
  return labels === 4 && len > 0 && len <= 3
}
