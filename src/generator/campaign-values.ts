/** Values a campaign fills its slots with: coins, brands, sports teams, scam domains and link shorteners. */
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
