/**
 * A small multilingual set of campaign texts written for this project (MIT, like the rest of it):
 * Russian chat spam, English SMS-style spam and mixed Russian/English texts in the styles the public
 * set has little of (job offers, SMS prizes, delivery and bank phishing, betting, mixed-script
 * crypto). They are base texts of the adversarial evaluation (./adversarial.ts), which attacks each
 * one; none of them is a copy of another.
 */
export const MULTILINGUAL_BASE_TEXTS: readonly string[] = [
  // Russian chat spam
  'Требуются люди для удаленной работы, доход от 3000 рублей в день. Опыт не нужен, всему научим. Пишите в личку за подробностями.',
  'Ищем ответственных ребят на подработку в свободное время. Оплата ежедневно, график свободный. Подробности у меня в лс.',
  'Всем кто хочет заработать на крипте: открыли набор в закрытый канал с сигналами. Первые три дня бесплатно, дальше по подписке.',
  'Продаю аккаунты с историей, отлежка больше года, есть любые гео. Оптом дешевле, гарант через бота. Пишите, отвечу быстро.',
  'Раздаем бесплатные звезды телеграм всем подписчикам канала! Условие простое: подпишись и оставь реакцию под закрепом. Итоги в пятницу.',
  'Нужны курьеры в свободном графике, выплаты каждый день на карту. Работа в вашем районе, от 18 лет. Оставляйте заявку по ссылке в профиле.',
  'Помогу закрыть долги и кредиты законно, консультация бесплатная. Работаем по всей России, более 500 довольных клиентов.',
  'Ставки на спорт с проходимостью 90 процентов, разбор каждого матча. Вступай в наш приватный канал, пока места есть.',
  'Вам положена компенсация за утечку персональных данных. Чтобы получить выплату, заполните анкету на сайте госуслуг по ссылке.',
  'Открыт набор модераторов в крупные чаты, работа с телефона, два часа в день. Оплата от 25 тысяч в месяц, обучение за наш счет.',
  'Сдам квартиру посуточно в центре, чисто и уютно, есть все необходимое. Скидка при заселении на неделю, звоните или пишите.',
  'Срочно! Банк блокирует карты клиентов из-за проверки. Чтобы сохранить деньги, подтвердите данные карты в нашем боте поддержки.',
  'Лучший VPN без рекламы и ограничений скорости, первый месяц в подарок. Работает на всех устройствах, подключение за минуту.',
  'Интим знакомства в вашем городе, анкеты с реальными фото. Регистрация занимает минуту, заходи и выбирай.',
  'Пассивный доход на стейкинге до 40 процентов годовых. Вывод в любое время, минимальный депозит 100 долларов. Подробная инструкция в канале.',
  'Набираем команду для арбитража трафика, обучаем с нуля. Первые выплаты уже через неделю, нужен только телефон и желание.',
  'Кто хочет бесплатно получить премиум подписку на три месяца? Переходите в бота и нажимайте старт, количество ограничено.',
  'Продам готовый бизнес по доставке цветов, окупаемость шесть месяцев. Все документы и поставщики в комплекте, торг уместен.',
  'Внимание участникам чата! Администрация проводит розыгрыш iPhone среди активных пользователей. Для участия перейдите по ссылке и авторизуйтесь.',
  'Делаю рассылки по чатам телеграм, охват от 10 тысяч человек за день. Цены низкие, отчет после каждой рассылки.',
  // English SMS-style spam
  'Congratulations! You have been selected to receive a 500 pound Tesco gift card. Reply YES to claim your prize before midnight.',
  'URGENT: your parcel could not be delivered due to an unpaid shipping fee. Please update your details at the link to reschedule delivery.',
  'Your bank account has been temporarily suspended. Verify your identity within 24 hours to avoid permanent closure of your account.',
  'You have won a free cruise for two to the Bahamas! Call now to confirm your booking, limited places available this week only.',
  'Earn 300 dollars a day working from home, no experience needed. Text WORK to this number and a recruiter will contact you today.',
  'Final notice: your car warranty is about to expire. Press 1 to speak to an agent and renew your coverage at a discounted rate.',
  'Get the best odds on tonight match and a 100 percent deposit bonus for new players. Sign up in two minutes and start winning.',
  'Hot singles in your area are waiting to chat with you. Join free tonight and meet someone special near you.',
  'We noticed a login to your Apple account from a new device. If this was not you, secure your account immediately using the link below.',
  'Last chance to claim your tax refund of 1,250 dollars. Submit the online form today, payments are processed within three business days.',
  'Limited offer: buy one get two free on all vitamin supplements this weekend. Free delivery on orders over 20 dollars.',
  'Dear customer, your mobile number has won the monthly draw. To receive the cash prize, send your full name and address to our claims team.',
  'Investment opportunity: double your bitcoin in seven days with our automated trading bot. Minimum deposit 50 dollars, withdraw any time.',
  'Your subscription has been renewed for 89 dollars. If you did not authorize this charge, call our support line to cancel and get a refund.',
  // Mixed Russian/English
  'Новый airdrop от TON уже live! Connect wallet, выполни простые tasks и получи до 500 USDT на свой кошелек. Only today!',
  'Remote job для тех кто знает English: модерация контента, 4 hours a day, оплата в долларах каждую неделю. DM me для деталей.',
  'Crypto signals канал с точностью 85 процентов, каждый день 5-7 сделок по Binance futures. Free trial на три дня, join now.',
  'Giveaway! Разыгрываем PlayStation 5 среди подписчиков. Subscribe, repost this message и отметь двух друзей в комментариях.',
  'Привет! I am looking for partners в новый проект по P2P арбитражу, доход от 2 процентов в день. Напиши мне, расскажу all details.',
  'Official Telegram support: ваш аккаунт будет удален через 24 hours за нарушение правил. Чтобы сохранить account, подтвердите номер в боте.',
]
