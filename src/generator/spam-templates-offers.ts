/**
 * Spam campaign pools, second part: adult offers, fake support desks (phishing) and job scams. The
 * format is that of ./spam-templates.ts, which lists every kind.
 */
import type { SpamKindDef } from './spam-templates.js'

export const OFFER_KINDS: SpamKindDef[] = [
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
