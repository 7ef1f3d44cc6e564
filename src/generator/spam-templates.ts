/**
 * Spam campaign sentence pools in spintax: `{a|b|c}` picks one alternative, `[SLOT]` is a campaign
 * value (LINK, HANDLE, PHONE and EMAIL are never obfuscated). A campaign picks a hook, one to three
 * bodies, a call to action and maybe a closer from one kind-and-language pool, so different
 * campaigns of the same kind share at most a sentence or two and stay apart as near-duplicate sets.
 */
import type { LangCode } from './lexicon.js'

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

export const SPAM_KINDS: SpamKindDef[] = [
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
  {
    kind: 'adult',
    category: 'spam',
    weight: 8,
    langs: {
      en: {
        hooks: [
          '{🔞|💋} {Lonely|Hot} {singles|girls} {in your city|near you} {want to chat|are waiting for you}!',
          '{💋|😘} {Private|Exclusive} {videos|photos} {uploaded|posted} {today|just now} 🔞',
          '{🔞|🔥} {Free|VIP} access to the {hottest|most private} channel {today only|for 24 hours}!',
        ],
        bodies: [
          '{No registration|No sign-up}, {free access|free chat} {for the first [N2] users|today only}.',
          '{Anonymous|Discreet} and {safe|100% private}.',
          'Over [AMT2] members {online now|already inside}.',
          '18+ only, {verify your age|confirm you are 18} {to enter|first}.',
        ],
        ctas: ['{Tap|Click} here 👉 [LINK]', 'Enter: [LINK]', '🔞 [LINK]'],
        closers: ['{Message|Write to} [HANDLE] 💋', '#dating #18plus'],
        buttons: ['🔞 Enter', '💋 Chat now'],
      },
      ru: {
        hooks: [
          '{🔞|💋} {Одинокие|Горячие} девушки {из твоего города|рядом с тобой} {ждут тебя|хотят познакомиться}!',
          '{🔞|🔥} {Бесплатный|VIP} доступ в {закрытый|приватный} канал {только сегодня|на 24 часа}!',
          '{💋|😘} {Новые|Эксклюзивные} фото {уже в канале|только что выложили} 🔞',
        ],
        bodies: [
          '{Без регистрации|Без смс}, {бесплатно|доступ открыт} для первых [N2] человек.',
          '{Анонимно|Конфиденциально} и {безопасно|на 100% приватно}.',
          'Уже [AMT2] участников {онлайн|внутри}.',
          'Только 18+, {подтверди возраст|подтверди, что тебе есть 18}.',
        ],
        ctas: ['Жми 👉 [LINK]', 'Вход: [LINK]', '🔞 [LINK]'],
        closers: ['Пиши [HANDLE] 💋', '#знакомства #18плюс'],
        buttons: ['🔞 Войти', '💋 Написать'],
      },
      es: {
        hooks: [
          '{🔞|💋} ¡Chicas {solteras|de tu ciudad} {quieren conocerte|te están esperando}!',
          '{🔞|🔥} ¡Acceso {gratis|VIP} al canal {privado|exclusivo} {solo hoy|por 24 horas}!',
          '{💋|😘} Fotos {exclusivas|nuevas} {subidas hoy|recién publicadas} 🔞',
        ],
        bodies: [
          '{Sin registro|Sin tarjeta}, gratis para los primeros [N2] usuarios.',
          '{Anónimo|Discreto} y {seguro|100% privado}.',
          'Más de [AMT2] miembros {en línea|dentro}.',
          'Solo +18, {verifica tu edad|confirma que eres mayor}.',
        ],
        ctas: ['Entra aquí 👉 [LINK]', 'Acceso: [LINK]', '🔞 [LINK]'],
        closers: ['Escribe a [HANDLE] 💋', '#citas #18'],
        buttons: ['🔞 Entrar', '💋 Chatear'],
      },
    },
  },
  {
    kind: 'phishing_support',
    category: 'scam',
    weight: 14,
    langs: {
      en: {
        hooks: [
          '{⚠️|❗️} {Telegram Support|Telegram Security|Account Protection Team}: {unusual|suspicious} {activity|login} detected on your account.',
          '{⚠️|🔒} Your account {will be deleted|has been restricted|will be suspended} {in 24 hours|today} due to {a violation of the rules|a copyright complaint|spam reports}.',
          '{🔔|❗️} {Dear user|Attention}, your {Telegram Premium|account verification} {has expired|needs to be renewed}.',
        ],
        bodies: [
          'To {avoid this|keep your account|cancel the deletion}, {verify|confirm} your identity within [N2] hours.',
          '{Enter|Confirm} the login code {you received|sent to your phone} on the official page.',
          '{If you ignore this message|Without verification}, {all your chats will be lost|your account will be blocked permanently}.',
          'Case number: #[CODE].',
          'This is an {automatic|official} {notification|message} from {Telegram|the security service}.',
        ],
        ctas: [
          '{Verify now|Confirm here}: [LINK]',
          '{Go to|Open} [LINK] {to verify|to appeal}',
          'Contact {support|the moderator} [HANDLE]',
        ],
        closers: ['{Telegram Team|Security Department} 🛡', '{Do not share this message.|Ignore if it was you.}'],
        buttons: ['✅ Verify', '🔒 Protect account'],
      },
      ru: {
        hooks: [
          '{⚠️|❗️} Служба поддержки Telegram: {обнаружен подозрительный вход|подозрительная активность} в вашем аккаунте.',
          '{⚠️|🔒} Ваш аккаунт будет {заблокирован|удалён} {через 24 часа|сегодня} из-за {нарушения правил|жалоб на спам}.',
          '{🔔|❗️} Уважаемый пользователь, ваша {подписка Premium|верификация} {истекла|требует продления}.',
        ],
        bodies: [
          'Чтобы {сохранить аккаунт|отменить удаление}, подтвердите личность в течение [N2] часов.',
          '{Введите|Подтвердите} код входа на официальной странице.',
          '{Если вы проигнорируете это сообщение|Без подтверждения}, {все чаты будут удалены|аккаунт будет заблокирован навсегда}.',
          'Номер обращения: #[CODE].',
          'Это {автоматическое|официальное} уведомление службы безопасности.',
        ],
        ctas: ['Подтвердить: [LINK]', 'Перейдите по ссылке [LINK]', 'Напишите в поддержку [HANDLE]'],
        closers: ['Команда Telegram 🛡', 'Не пересылайте это сообщение.'],
        buttons: ['✅ Подтвердить', '🔒 Защитить аккаунт'],
      },
      ar: {
        hooks: [
          '{⚠️|❗️} دعم تيليجرام: تم اكتشاف {نشاط مشبوه|تسجيل دخول مشبوه} في حسابك.',
          '{⚠️|🔒} سيتم {حذف|تقييد} حسابك {خلال 24 ساعة|اليوم} بسبب {مخالفة القواعد|بلاغات سبام}.',
          '{🔔|❗️} عزيزي المستخدم، {اشتراك بريميوم|توثيق حسابك} {انتهى|يحتاج إلى تجديد}.',
        ],
        bodies: [
          '{لتجنب ذلك|للحفاظ على حسابك}، قم بتأكيد هويتك خلال [N2] ساعات.',
          'أدخل رمز الدخول في الصفحة الرسمية.',
          '{إذا تجاهلت هذه الرسالة|بدون التحقق}، سيتم حظر حسابك نهائياً.',
          'رقم الطلب: #[CODE].',
        ],
        ctas: ['تحقق الآن: [LINK]', 'تواصل مع الدعم [HANDLE]'],
        closers: ['فريق تيليجرام 🛡', 'لا تشارك هذه الرسالة.'],
        buttons: ['✅ تحقق', '🔒 حماية الحساب'],
      },
      es: {
        hooks: [
          '{⚠️|❗️} Soporte de Telegram: {actividad sospechosa|inicio de sesión sospechoso} en tu cuenta.',
          '{⚠️|🔒} Tu cuenta será {eliminada|bloqueada} {en 24 horas|hoy} por {infringir las normas|denuncias de spam}.',
          '{🔔|❗️} Estimado usuario, tu {suscripción Premium|verificación} {ha caducado|debe renovarse}.',
        ],
        bodies: [
          'Para {evitarlo|conservar tu cuenta}, verifica tu identidad en [N2] horas.',
          'Introduce el código de acceso en la página oficial.',
          '{Si ignoras este mensaje|Sin verificación}, perderás todos tus chats.',
          'Número de caso: #[CODE].',
        ],
        ctas: ['Verificar ahora: [LINK]', 'Contacta con soporte [HANDLE]'],
        closers: ['Equipo de Telegram 🛡', 'No compartas este mensaje.'],
        buttons: ['✅ Verificar', '🔒 Proteger cuenta'],
      },
      de: {
        hooks: [
          '{⚠️|❗️} Telegram-Support: {ungewöhnliche Aktivität|verdächtige Anmeldung} in deinem Konto festgestellt.',
          '{⚠️|🔒} Dein Konto wird {in 24 Stunden|heute} {gelöscht|gesperrt}, weil {gegen die Regeln verstoßen wurde|Spam-Meldungen vorliegen}.',
          '{🔔|❗️} Lieber Nutzer, deine {Premium-Mitgliedschaft|Verifizierung} {ist abgelaufen|muss erneuert werden}.',
        ],
        bodies: [
          'Um {das zu verhindern|dein Konto zu behalten}, bestätige deine Identität innerhalb von [N2] Stunden.',
          'Gib den Anmeldecode auf der offiziellen Seite ein.',
          '{Ohne Bestätigung|Wenn du diese Nachricht ignorierst} wird dein Konto dauerhaft gesperrt.',
          'Vorgangsnummer: #[CODE].',
        ],
        ctas: ['Jetzt bestätigen: [LINK]', 'Schreib dem Support [HANDLE]'],
        closers: ['Dein Telegram-Team 🛡', 'Leite diese Nachricht nicht weiter.'],
        buttons: ['✅ Bestätigen', '🔒 Konto schützen'],
      },
    },
  },
  {
    kind: 'job_scam',
    category: 'scam',
    weight: 16,
    langs: {
      en: {
        hooks: [
          '{💼|📢} {Remote job|Work from home|Part-time job} {opportunity|offer}!',
          '{💵|💰} Earn [AMT]$ {per day|daily} from your phone!',
          '{📢|✅} We are {hiring|looking for} [N2] {assistants|moderators|operators} {urgently|today}!',
        ],
        bodies: [
          'Only [N2] hours a day, {no experience needed|training provided}.',
          '{Simple tasks|Liking posts|Rating hotels}, payment {every day|daily to your card}.',
          '{Age 18+|Anyone over 18}, {any country|worldwide}.',
          '{Salary|Income} from [AMT2]$ {per week|weekly}, {no investment|no fees}.',
        ],
        ctas: ['{Write to|Contact|DM} [HANDLE]', 'WhatsApp: [PHONE]', 'Send your CV to [EMAIL]'],
        closers: ['{Limited places!|Hurry, places are limited!}', '#job #remote #work'],
        buttons: ['💼 Apply', '✉️ Contact HR'],
      },
      ru: {
        hooks: [
          '{💼|📢} Нужны сотрудники на {удалёнку|подработку}!',
          '{💵|💰} Доход от [AMT] ₽ в день с телефона!',
          '{📢|✅} Срочно ищем [N2] {помощников|модераторов|операторов}!',
        ],
        bodies: [
          'Всего [N2] часа в день, {опыт не нужен|обучение бесплатно}.',
          '{Простые задания|Лайки и отзывы}, выплаты {каждый день|ежедневно на карту}.',
          'От 18 лет, {любой город|из любой страны}.',
          '{Зарплата|Доход} от [AMT2] ₽ в неделю, {без вложений|без предоплат}.',
        ],
        ctas: ['Пиши [HANDLE]', 'Звоните: [PHONE]', 'Резюме на [EMAIL]'],
        closers: ['Места ограничены!', '#работа #удалёнка #подработка'],
        buttons: ['💼 Откликнуться', '✉️ Написать HR'],
      },
      id: {
        hooks: [
          '{💼|📢} Lowongan kerja {online|dari rumah}!',
          '{💵|💰} Gaji [AMT] ribu per hari, cukup dari HP!',
          '{📢|✅} Dibutuhkan [N2] {admin|operator|reseller} segera!',
        ],
        bodies: [
          'Cukup [N2] jam sehari, {tanpa pengalaman|dibimbing sampai bisa}.',
          '{Tugas gampang|Like dan komen}, {gaji harian|dibayar tiap hari}.',
          'Usia 18+, {seluruh Indonesia|semua kota}.',
          'Penghasilan [AMT2] ribu per minggu, {tanpa modal|tanpa biaya}.',
        ],
        ctas: ['Hubungi [HANDLE]', 'WhatsApp: [PHONE]', 'Kirim CV ke [EMAIL]'],
        closers: ['Kuota terbatas!', '#loker #kerjaonline'],
        buttons: ['💼 Daftar', '✉️ Hubungi admin'],
      },
      es: {
        hooks: [
          '{💼|📢} ¡Trabajo {desde casa|remoto}!',
          '{💵|💰} ¡Gana [AMT]$ al día desde tu móvil!',
          '{📢|✅} ¡Buscamos [N2] {asistentes|moderadores} {urgente|hoy}!',
        ],
        bodies: [
          'Solo [N2] horas al día, {sin experiencia|te capacitamos}.',
          '{Tareas simples|Dar likes}, pago {diario|todos los días}.',
          'Mayores de 18, {cualquier país|todo el mundo}.',
          'Ingresos desde [AMT2]$ por semana, {sin inversión|sin costos}.',
        ],
        ctas: ['Escribe a [HANDLE]', 'WhatsApp: [PHONE]', 'Envía tu CV a [EMAIL]'],
        closers: ['¡Plazas limitadas!', '#empleo #trabajo'],
        buttons: ['💼 Postular', '✉️ Contactar'],
      },
      uk: {
        hooks: [
          '{💼|📢} Робота {онлайн|з дому}!',
          '{💵|💰} Дохід від [AMT] грн на день з телефону!',
          '{📢|✅} Терміново шукаємо [N2] {помічників|модераторів}!',
        ],
        bodies: [
          'Лише [N2] години на день, {досвід не потрібен|навчання безкоштовне}.',
          '{Прості завдання|Лайки і відгуки}, виплати {щодня|щоденно на картку}.',
          'Від 18 років, {будь-яке місто|з будь-якої країни}.',
          'Дохід від [AMT2] грн на тиждень, {без вкладень|без передоплат}.',
        ],
        ctas: ['Пиши [HANDLE]', 'Телефонуйте: [PHONE]', 'Резюме на [EMAIL]'],
        closers: ['Кількість місць обмежена!', '#робота #підробіток'],
        buttons: ['💼 Відгукнутися', '✉️ Написати'],
      },
      de: {
        hooks: [
          '{💼|📢} Nebenjob {von zu Hause|im Homeoffice}!',
          '{💵|💰} Verdiene [AMT] € am Tag mit dem Handy!',
          '{📢|✅} Wir suchen {dringend|ab sofort} [N2] {Assistenten|Moderatoren}!',
        ],
        bodies: [
          'Nur [N2] Stunden am Tag, {keine Erfahrung nötig|Einarbeitung inklusive}.',
          '{Einfache Aufgaben|Bewertungen schreiben}, Auszahlung {täglich|jeden Tag}.',
          'Ab 18, {deutschlandweit|europaweit}.',
          'Verdienst ab [AMT2] € pro Woche, {ohne Investition|ohne Gebühren}.',
        ],
        ctas: ['Schreib an [HANDLE]', 'WhatsApp: [PHONE]', 'Bewerbung an [EMAIL]'],
        closers: ['Begrenzte Plätze!', '#job #nebenjob #homeoffice'],
        buttons: ['💼 Bewerben', '✉️ Kontakt'],
      },
    },
  },
]

export const COINS = ['USDT', 'TON', 'NOT', 'BTC', 'ETH', 'SOL', 'DOGS', 'HMSTR', 'TRX']
export const BRANDS = ['Notcoin', 'Hamster Kombat', 'TonSwap', 'MetaFi', 'Blum', 'Catizen', 'X Empire', 'TapSwap', 'MoonDAO', 'Tonix']
export const TEAMS = [
  'Real Madrid',
  'Barcelona',
  'Galatasaray',
  'Fenerbahçe',
  'Flamengo',
  'Palmeiras',
  'Arsenal',
  'Chelsea',
  'Persib',
  'Persija',
  'Bayern',
  'PSG',
  'Corinthians',
  'Beşiktaş',
  'Inter',
  'Liverpool',
]
export const SCAM_DOMAIN_WORDS = [
  'claim',
  'usdt',
  'ton',
  'drop',
  'bonus',
  'gift',
  'verify',
  'secure',
  'support',
  'login',
  'premium',
  'bet',
  'win',
  'slot',
  'wallet',
  'reward',
  'auth',
  'safe',
  'promo',
  'vip',
]
export const SCAM_TLDS = ['xyz', 'top', 'click', 'site', 'online', 'live', 'app', 'icu', 'shop', 'pro', 'fun', 'link']
export const SHORTENERS = ['bit.ly', 'cutt.ly', 'tinyurl.com', 'is.gd', 'rb.gy']
