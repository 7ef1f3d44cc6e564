/**
 * Spam campaign sentence pools in spintax: `{a|b|c}` picks one alternative, `[SLOT]` is a campaign
 * value (LINK, HANDLE, PHONE and EMAIL are never obfuscated). A campaign picks a hook, one to three
 * bodies, a call to action and maybe a closer from one kind-and-language pool, so different
 * campaigns of the same kind share at most a sentence or two and stay apart as near-duplicate sets.
 */
import type { LangCode } from './lexicon.js'
import { OFFER_KINDS } from './spam-templates-offers.js'

export type SpamKind = 'crypto_airdrop' | 'fake_giveaway' | 'betting' | 'adult' | 'phishing_support' | 'job_scam'

export interface SpamPool {
  hooks: string[]
  bodies: string[]
  ctas: string[]
  closers: string[]
  /** Inline button captions. */
  buttons: string[]
}

export interface SpamKindDef {
  kind: SpamKind
  category: 'spam' | 'scam'
  /** Relative frequency of new campaigns of this kind. */
  weight: number
  langs: Partial<Record<LangCode, SpamPool>>
}

/** Get-rich kinds: airdrops, giveaways, betting. */
const MONEY_KINDS: SpamKindDef[] = [
  {
    kind: 'crypto_airdrop',
    category: 'scam',
    weight: 30,
    langs: {
      en: {
        hooks: [
          '{🚀|🔥|💎} {Free|Exclusive|Official} {[COIN]|$[COIN]} airdrop {is live|has started|is now open}!',
          '{🎉|⚡️} {Huge news|Big announcement|Attention}: the [BRAND] airdrop is {finally here|live now}!',
          '{💰|🤑} {Early users|Active wallets|Telegram users} can claim free [COIN] {today|right now}!',
          '{🔔|📢} Last chance to join the [BRAND] {token drop|airdrop} before the listing!',
        ],
        bodies: [
          '{Claim|Get|Receive} [AMT] {[COIN]|$[COIN]} {instantly|in one click|directly to your wallet}, no deposit required.',
          'Only [N2] {spots|places} left, {first come first served|distribution ends soon}.',
          '{Listing|Trading} on {Binance|OKX|Bybit} {starts|opens} at [T] UTC, {price expected to go x[N2]|early holders win big}.',
          'All you need is a {TON|Solana|Ethereum} wallet {with any balance|with at least one transaction}.',
          'Over [AMT2] {users|wallets} have already {claimed|received} their tokens.',
          'Rewards are {distributed|sent} {automatically|within 5 minutes} after {verification|connecting}.',
        ],
        ctas: [
          '{Connect|Link|Verify} your wallet {here|now} 👉 [LINK]',
          '{Claim|Get} your [COIN] {here|now}: [LINK]',
          '👉 [LINK] 👈 {claim before it ends|limited time}',
        ],
        closers: ["{Don't miss it!|Hurry up!|Limited time!} {🚀|🔥|⏳}", 'Official channel: [HANDLE]', '#airdrop $[COIN] #crypto'],
        buttons: ['🎁 Claim', '✅ Connect wallet', '💰 Get tokens'],
      },
      ru: {
        hooks: [
          '{🚀|🔥} {Бесплатный|Официальный} аирдроп {[COIN]|$[COIN]} {запущен|уже начался}!',
          '{📢|⚡️} {Внимание|Срочно}: раздача токенов [BRAND] {стартовала|открыта}!',
          '{💰|🤑} Пользователи Telegram могут забрать бесплатные [COIN] {сегодня|прямо сейчас}!',
        ],
        bodies: [
          '{Забери|Получи} [AMT] {[COIN]|$[COIN]} {мгновенно|в один клик|прямо на кошелёк}, без депозита.',
          'Осталось всего [N2] мест, {успей забрать|раздача скоро закончится}.',
          'Листинг на {Binance|Bybit|OKX} в [T] по МСК, {рост x[N2] гарантирован|первые холдеры заработают больше всех}.',
          'Нужен только кошелёк {TON|Tonkeeper|Trust Wallet} {с любым балансом|с одной транзакцией}.',
          'Уже [AMT2] человек {получили|забрали} свои токены.',
        ],
        ctas: ['{Подключи|Привяжи} кошелёк 👉 [LINK]', 'Забрать [COIN]: [LINK]', '👉 [LINK] 👈 {пока не закончилось|время ограничено}'],
        closers: ['{Не упусти!|Торопись!|Время ограничено!} {🚀|🔥|⏳}', 'Официальный канал: [HANDLE]', '#аирдроп $[COIN] #крипта'],
        buttons: ['🎁 Забрать', '✅ Подключить кошелёк'],
      },
      es: {
        hooks: [
          '{🚀|🔥} ¡{Airdrop|Reparto} {gratis|oficial} de [COIN] {activo|ya disponible}!',
          '{📢|⚡️} {Atención|Última hora}: ¡el airdrop de [BRAND] {ya empezó|está abierto}!',
          '{💰|🤑} ¡Los usuarios de Telegram pueden reclamar [COIN] gratis {hoy|ahora mismo}!',
        ],
        bodies: [
          '{Reclama|Recibe} [AMT] {[COIN]|$[COIN]} {al instante|en un clic|directo a tu billetera}, sin depósito.',
          'Solo quedan [N2] {lugares|cupos}, {date prisa|termina pronto}.',
          'El listado en {Binance|Bybit} {empieza|abre} a las [T] UTC.',
          'Solo necesitas una billetera {TON|Trust Wallet} {con cualquier saldo|activa}.',
          'Ya [AMT2] personas {recibieron|reclamaron} sus tokens.',
        ],
        ctas: [
          '{Conecta|Vincula} tu billetera aquí 👉 [LINK]',
          'Reclama tus [COIN]: [LINK]',
          '👉 [LINK] 👈 {por tiempo limitado|antes de que termine}',
        ],
        closers: ['¡{No te lo pierdas|Date prisa}! {🚀|🔥}', 'Canal oficial: [HANDLE]', '#airdrop #[COIN] #cripto'],
        buttons: ['🎁 Reclamar', '✅ Conectar billetera'],
      },
      id: {
        hooks: [
          '{🚀|🔥} Airdrop [COIN] {gratis|resmi} sudah {dibuka|dimulai}!',
          '{📢|⚡️} {Perhatian|Info penting}: airdrop [BRAND] {sudah live|resmi dibuka}!',
          '{💰|🤑} Pengguna Telegram bisa klaim [COIN] gratis {hari ini|sekarang juga}!',
        ],
        bodies: [
          '{Klaim|Dapatkan} [AMT] {[COIN]|$[COIN]} {langsung|cuma sekali klik|langsung ke dompet}, tanpa deposit.',
          'Sisa [N2] slot lagi, {buruan|segera berakhir}.',
          'Listing di {Binance|Indodax|Tokocrypto} jam [T] WIB.',
          'Cukup punya dompet {TON|Trust Wallet} {saldo berapa pun|yang aktif}.',
          'Sudah [AMT2] orang {klaim|dapat} token mereka.',
        ],
        ctas: [
          '{Hubungkan|Sambungkan} dompet kamu di sini 👉 [LINK]',
          'Klaim [COIN] kamu: [LINK]',
          '👉 [LINK] 👈 {waktu terbatas|sebelum habis}',
        ],
        closers: ['{Jangan sampai ketinggalan!|Buruan!} {🚀|🔥}', 'Channel resmi: [HANDLE]', '#airdrop $[COIN] #kripto'],
        buttons: ['🎁 Klaim', '✅ Hubungkan dompet'],
      },
      tr: {
        hooks: [
          '{🚀|🔥} {Ücretsiz|Resmi} [COIN] airdrop {başladı|yayında}!',
          '{📢|⚡️} {Dikkat|Son dakika}: [BRAND] airdrop {başladı|açıldı}!',
          '{💰|🤑} Telegram kullanıcıları {bugün|hemen şimdi} ücretsiz [COIN] alabilir!',
        ],
        bodies: [
          '[AMT] {[COIN]|$[COIN]} {hemen|tek tıkla|doğrudan cüzdanına} {al|kazan}, yatırım gerekmez.',
          'Sadece [N2] kişilik yer kaldı, {acele et|yakında bitiyor}.',
          '{Binance|BtcTurk} listelemesi saat [T] itibarıyla başlıyor.',
          'Sadece bir {TON|Trust Wallet} cüzdanı {yeterli|gerekli}.',
          'Şimdiden [AMT2] kişi tokenlerini {aldı|talep etti}.',
        ],
        ctas: ['Cüzdanını {bağla|doğrula} 👉 [LINK]', '[COIN] almak için: [LINK]', '👉 [LINK] 👈 {süre sınırlı|kaçırma}'],
        closers: ['{Kaçırma!|Acele et!} {🚀|🔥}', 'Resmi kanal: [HANDLE]', '#airdrop $[COIN] #kripto'],
        buttons: ['🎁 Al', '✅ Cüzdanı bağla'],
      },
    },
  },
  {
    kind: 'fake_giveaway',
    category: 'scam',
    weight: 16,
    langs: {
      en: {
        hooks: [
          '{🎁|🎉} {Pavel Durov|Telegram|[BRAND]} is giving away [AMT] {Telegram Premium subscriptions|free Premium accounts|gift codes}!',
          '{🎉|🥳} {Celebrating|To celebrate} [N2]00 million users, we are {giving away|handing out} [AMT] prizes!',
          '{🎁|🏆} {Official|Big} {giveaway|raffle}: {an iPhone 16|a PlayStation 5|[AMT]$ in cash} for {every|each} {active|new} subscriber!',
        ],
        bodies: [
          'To {participate|join}, {subscribe to|follow} [HANDLE] and press the button below.',
          'Winners {will be announced|are announced} {today|tomorrow} at [T].',
          "{No purchase necessary|It's completely free}, it takes {only|just} {one click|30 seconds}.",
          'Already [AMT2] {people|users} {received|got} their {gift|prize}.',
          '{Share this post|Forward this message} to [N2] {chats|friends} to {double|increase} your chances.',
        ],
        ctas: ['{Get|Claim} your {gift|prize} 👉 [LINK]', '{Participate|Join} here: [LINK]', '🎁 [LINK]'],
        closers: ['{Good luck|Hurry}! {🍀|⏳}', 'The {giveaway|offer} ends in [N2] hours.', '#giveaway #premium'],
        buttons: ['🎁 Get gift', '🎉 Participate'],
      },
      ru: {
        hooks: [
          '{🎁|🎉} {Павел Дуров|Telegram} {дарит|раздаёт} [AMT] подписок Telegram Premium!',
          '{🎉|🥳} В честь [N2]00 миллионов пользователей {разыгрываем|дарим} [AMT] призов!',
          '{🎁|🏆} {Большой|Официальный} розыгрыш: {iPhone 16|PlayStation 5|[AMT] ₽} каждому {активному|новому} подписчику!',
        ],
        bodies: [
          'Чтобы участвовать, подпишись на [HANDLE] и нажми кнопку ниже.',
          'Итоги {сегодня|завтра} в [T].',
          'Это {бесплатно|полностью бесплатно}, займёт {30 секунд|одну минуту}.',
          'Уже [AMT2] человек {получили|забрали} свой подарок.',
          '{Перешли|Отправь} этот пост в [N2] чатов, чтобы {удвоить|увеличить} шансы.',
        ],
        ctas: ['{Забрать|Получить} подарок 👉 [LINK]', 'Участвовать: [LINK]', '🎁 [LINK]'],
        closers: ['{Удачи|Торопись}! {🍀|⏳}', 'Розыгрыш закончится через [N2] часов.', '#розыгрыш #premium'],
        buttons: ['🎁 Забрать подарок', '🎉 Участвовать'],
      },
      fa: {
        hooks: [
          '{🎁|🎉} قرعه‌کشی {بزرگ|ویژه}! [AMT] اشتراک {رایگان|هدیه} تلگرام پرمیوم',
          '{🎉|🥳} به مناسبت [N2]00 میلیون کاربر، [AMT] جایزه {هدیه می‌دهیم|اهدا می‌کنیم}!',
          '{🏆|🎁} جایزه ویژه برای {همه|تمام} اعضای {جدید|فعال} کانال!',
        ],
        bodies: [
          'برای شرکت در [HANDLE] عضو شوید و روی دکمه زیر بزنید.',
          'برندگان {امروز|فردا} ساعت [T] اعلام می‌شوند.',
          '{کاملا رایگان است|هیچ هزینه‌ای ندارد} و فقط {یک دقیقه|۳۰ ثانیه} وقت می‌گیرد.',
          'تا الان [AMT2] نفر جایزه خود را گرفته‌اند.',
          'این پست را برای [N2] دوست بفرستید تا شانس شما {دو برابر|بیشتر} شود.',
        ],
        ctas: ['دریافت {جایزه|هدیه} 👈 [LINK]', 'شرکت در قرعه‌کشی: [LINK]', '🎁 [LINK]'],
        closers: ['موفق باشید! 🍀', 'قرعه‌کشی تا [N2] ساعت دیگر تمام می‌شود.', '#قرعه_کشی #پرمیوم'],
        buttons: ['🎁 دریافت جایزه', '🎉 شرکت'],
      },
      pt: {
        hooks: [
          '{🎁|🎉} {O Telegram|Pavel Durov} está {sorteando|dando} [AMT] assinaturas Premium!',
          '{🎉|🥳} Para comemorar [N2]00 milhões de usuários, vamos {sortear|distribuir} [AMT] prêmios!',
          '{🎁|🏆} Sorteio {oficial|gigante}: {um iPhone 16|um PlayStation 5|R$ [AMT]} para {cada|todo} seguidor {ativo|novo}!',
        ],
        bodies: [
          'Para participar, {siga|entre no} [HANDLE] e toque no botão abaixo.',
          'Os ganhadores serão anunciados {hoje|amanhã} às [T].',
          'É {grátis|totalmente grátis}, leva só {30 segundos|um minuto}.',
          'Já [AMT2] pessoas {receberam|ganharam} seu prêmio.',
          'Compartilhe com [N2] amigos para {dobrar|aumentar} suas chances.',
        ],
        ctas: ['{Resgate|Pegue} seu prêmio 👉 [LINK]', 'Participe aqui: [LINK]', '🎁 [LINK]'],
        closers: ['Boa sorte! 🍀', 'O sorteio termina em [N2] horas.', '#sorteio #premium'],
        buttons: ['🎁 Resgatar', '🎉 Participar'],
      },
    },
  },
  {
    kind: 'betting',
    category: 'spam',
    weight: 16,
    langs: {
      en: {
        hooks: [
          '{⚽|🏆} {Sure|Fixed|VIP} {bet|match} of the day: [TEAM1] vs [TEAM2], odds [ODDS]!',
          '{🔥|💸} {Our VIP group|The insiders} {won|hit} [N2] bets in a row this week!',
          '{🎰|💎} {Best|Top} online casino {bonus|offer} of [PCT]% for new players!',
        ],
        bodies: [
          '{Deposit|Register} with promo code [CODE] and get [PCT]% bonus up to [AMT]$.',
          'Minimum deposit {only|just} [AMT2]$, {instant withdrawals|withdrawals in 5 minutes}.',
          '{Guaranteed|100%} {win|profit}, {insider information|inside info from the club}.',
          'Already [AMT2] members {cashed out|withdrew} their winnings today.',
          'Free spins for everyone who {registers|joins} before [T].',
        ],
        ctas: ['{Register|Sign up} here 👉 [LINK]', 'Bet now: [LINK]', '👉 [LINK]'],
        closers: ['{Join the VIP|Contact admin}: [HANDLE]', '#betting #football #casino', "{Don't miss out|Last call}! 💰"],
        buttons: ['⚽ Bet now', '🎰 Play', '💰 Get bonus'],
      },
      tr: {
        hooks: [
          '{⚽|🔥} Günün {kesin|garantili} maçı: [TEAM1] - [TEAM2], oran [ODDS]!',
          '{🎰|💎} Yeni üyelere %[PCT] {hoş geldin bonusu|yatırım bonusu}!',
          '{💸|🔥} VIP grubumuz bu hafta üst üste [N2] kupon {tutturdu|kazandı}!',
        ],
        bodies: [
          '[CODE] koduyla kayıt ol, %[PCT] bonus {kazan|al}.',
          'Minimum yatırım {sadece|yalnızca} [AMT2] TL, {anında çekim|5 dakikada çekim}.',
          '{Garantili|Yüzde yüz} kazanç, {şike bilgisi|içeriden bilgi}.',
          'Bugün [AMT2] üye kazancını çekti.',
          'Saat [T] itibarıyla kayıt olana bedava spin.',
        ],
        ctas: ['Kayıt ol 👉 [LINK]', 'Hemen oyna: [LINK]', '👉 [LINK]'],
        closers: ['VIP için: [HANDLE]', '#bahis #iddaa #casino', '{Kaçırma|Son şans}! 💰'],
        buttons: ['⚽ Hemen oyna', '💰 Bonus al'],
      },
      pt: {
        hooks: [
          '{⚽|🏆} Aposta {certa|garantida} do dia: [TEAM1] x [TEAM2], odd [ODDS]!',
          '{🎰|💎} Bônus de [PCT]% para {novos jogadores|quem se cadastrar hoje}!',
          '{💸|🔥} Nosso grupo VIP {acertou|bateu} [N2] apostas seguidas!',
        ],
        bodies: [
          'Cadastre-se com o código [CODE] e ganhe [PCT]% de bônus até R$ [AMT].',
          'Depósito mínimo de {só|apenas} R$ [AMT2], saque {na hora|via Pix em 5 minutos}.',
          'Lucro {garantido|100%}, {informação privilegiada|dica de dentro do clube}.',
          'Hoje [AMT2] membros já sacaram seus ganhos.',
          'Giros grátis para quem entrar até as [T].',
        ],
        ctas: ['Cadastre-se 👉 [LINK]', 'Aposte agora: [LINK]', '👉 [LINK]'],
        closers: ['Entre no VIP: [HANDLE]', '#apostas #futebol #cassino', '{Não perca|Última chance}! 💰'],
        buttons: ['⚽ Apostar', '💰 Pegar bônus'],
      },
      id: {
        hooks: [
          '{🔥|🎰} Slot {gacor|maxwin} hari ini, {RTP|winrate} [PCT]%!',
          '{💸|💎} Bonus new member [PCT]% {langsung cair|tanpa syarat}!',
          '{⚽|🏆} Prediksi {jitu|pasti tembus}: [TEAM1] vs [TEAM2], odds [ODDS]!',
        ],
        bodies: [
          'Maxwin [AMT] juta, deposit minimal [AMT2] ribu {via Dana|via OVO|via pulsa}.',
          'Pakai kode [CODE] untuk bonus [PCT]%.',
          '{Withdraw|WD} {cepat|5 menit} {tanpa potongan|pasti dibayar}.',
          'Sudah [AMT2] member {JP|jackpot} hari ini.',
          'Free spin untuk yang daftar sebelum jam [T].',
        ],
        ctas: ['Daftar sekarang 👉 [LINK]', 'Link alternatif: [LINK]', '👉 [LINK]'],
        closers: ['Admin: [HANDLE]', '#slotgacor #maxwin', '{Gas|Buruan} daftar! 💰'],
        buttons: ['🎰 Daftar', '💰 Klaim bonus'],
      },
    },
  },
]

/** Every kind, in the order the generator draws from (its output depends on it). */
export const SPAM_KINDS: SpamKindDef[] = [...MONEY_KINDS, ...OFFER_KINDS]
