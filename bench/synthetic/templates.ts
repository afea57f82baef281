/**
 * Sentence templates for the synthetic corpus. `{slot}` is filled from the article's cast (`co`, `co2`, `prod`,
 * `tech`, `tech2`, `person`, `city`) or with a fresh number (`num`, `pct`, `money`, `year`, `quarter`, `day`);
 * `{slot|이}` adds a Korean particle in the right form; `[a|b|c]` picks one alternative, so that two articles
 * built from the same template still differ in most of their character 5-grams (as real articles do).
 */

export const KO_HEADLINES = [
  '{co|이} {tech} [승부수|드라이브|정면 돌파]…{prod} [공개|첫선|출격]',
  '{co}, {tech} 투자 {money|으로} [확대|늘린다|증액]',
  '{co|과} {co2}, {tech} [협력 맞손|동맹 결성|공동 개발 착수]',
  '{co}, {prod} [출시 앞당긴다|하반기 출시|국내 출시 확정]',
  '{co} {tech} 매출 {pct}% [증가|급증|성장]…[분기 최대|역대 최대|시장 예상 상회]',
  '{person} "{tech} 주도권 [잡겠다|놓치지 않겠다|확보가 최우선]"',
  '{co2}, {co}에 {tech} [공급 계약|납품 개시|물량 확대]',
  '{co}, {city}에 {tech} [연구센터|생산기지|데이터센터] [설립|착공|가동]',
  "['{tech}' 경쟁 격화|{tech} 시장 재편]…{co}·{co2} [정면 대결|엇갈린 행보]",
  '{co} {quarter} 실적 [발표|공개]…{tech} 덕에 [웃었다|반등|선방]',
];

export const KO_DECKS = [
  '{tech} [시장 점유율|기술 경쟁력] [확대|강화] 목표',
  '{year}년까지 {money} [투입|투자]',
  '{co2|과} [협력 범위|공급 물량] [넓혀|늘려]',
  '[업계|증권가] "{tech} 수요 [당분간 견조|내년 정점]"',
];

export const KO_SENTENCES = [
  '{co|이} {day}일 {tech} 분야 [신제품|새 서비스|차세대 플랫폼] {qprod|을} [공개했다|선보였다|발표했다].',
  '[회사 측은|{co} 관계자는] 이번 제품이 기존 대비 [전력 효율을|처리 속도를|생산성을] {pct}% [높였다고|개선했다고] [설명했다|밝혔다].',
  '업계에서는 {tech} 시장이 [내년에도|향후 3년간|당분간] [두 자릿수|연평균 {pct}%의] 성장을 [이어갈|지속할] 것으로 [보고 있다|전망한다].',
  '{co|은} [올해|지난해] {quarter} {tech} 관련 매출이 {money}에 [달했다고|이르렀다고] 밝혔다.',
  '{co2} 관계자는 "{co|과}의 협력으로 {tech} 경쟁력을 [한층|크게] 끌어올릴 수 있을 것"이라고 말했다.',
  '시장조사업체 [트렌드포스|카운터포인트|IDC|옴디아]에 따르면 글로벌 {tech} 시장 규모는 {year}년 {money} 수준으로 [커질|성장할] 전망이다.',
  '{person|은} [최근 한 행사에서|기자간담회에서|사내 메시지를 통해] "{tech|은} 회사의 [미래 성장 동력|핵심 사업]"이라고 강조했다.',
  '증권가에서는 {co}의 {quarter} 영업이익이 전년 동기보다 {pct}% [늘어날|줄어들] 것으로 [내다봤다|추정했다].',
  '{co|은} {city}에 {tech} [생산 라인을|연구 거점을] 새로 [짓는|마련하는] 방안도 [검토하고 있다|추진 중이다].',
  '이번 발표로 {co2|과}의 경쟁도 [한층|더욱] 치열해질 [전망이다|것으로 보인다].',
  '정부도 {tech} 산업 육성을 위해 {money} 규모의 [지원책을|펀드를] [내놓은 바 있다|조성하기로 했다].',
  '{co|은} [연내|내년 상반기 중] {qprod} 후속 모델을 [선보일|출시할] 계획이다.',
  '[업계 관계자는|한 애널리스트는] "{tech} 수요가 [예상보다 빠르게|꾸준히] [늘고 있다|확대되고 있다]"며 "[공급이 수요를 따라가지 못하는|가격 협상력이 커지는] 상황"이라고 [말했다|설명했다].',
  '{co|은} 이를 위해 [국내외|해외] 인력 {num}명을 [추가로 채용할|새로 뽑을] 예정이다.',
  '{tech2} 기술과 결합한 [솔루션|서비스]도 [함께|이르면 내년] [공개될|출시될] 예정이다.',
  '[이날|지난 {day}일] {co} 주가는 전 거래일 대비 {pct}% [오른|내린] [{num}원|{num}00원]에 거래를 마쳤다.',
  '{co|은} {co2}에 이어 [두 번째로|업계 최초로] {tech} [인증을 받았다|양산에 성공했다].',
  '[전문가들은|업계에서는] {tech2} 수요가 {tech} 시장의 [새로운 변수가|성장 동력이] 될 것으로 보고 있다.',
  '{co|은} [개발자 생태계 확대를 위해|고객사 확보를 위해] {prod} [소프트웨어 개발 키트(SDK)를 공개했다|시범 서비스를 시작했다].',
  '[다만|하지만] {tech} [원가 부담은|공급망 불확실성은|규제 리스크는] 여전히 [변수로 꼽힌다|과제로 남아 있다].',
  '{co|과} {co2|은} [지난해부터|{year}년부터] {tech} [공동 연구를|기술 협력을] 이어오고 있다.',
  '[회사는|{co|은}] {city} [전시회|콘퍼런스]에서 {prod|을} [처음 공개할|시연할] 예정이다.',
  '{tech} 분야 [특허 출원|연구개발 투자]도 [전년 대비|지난해보다] {pct}% 늘었다.',
  '[이에 따라|이로써] {co|은} {tech} 시장에서 점유율 {pct}%로 [1위|2위|3위] 자리를 [지켰다|굳혔다|차지했다].',
  '{co|은} "고객사의 요구에 맞춰 {tech2} [라인업을|포트폴리오를] 지속해서 [확대하겠다|강화하겠다]"고 밝혔다.',
  '한편 {co2|은} [같은 날|이번 주] {tech} [신규 투자 계획을|전략 발표회를] [공개했다|열었다].',
  '[소비자 반응도|시장 반응도] [긍정적이다|나쁘지 않다]. 사전 예약 [첫날|첫 주]에만 {num}만 건이 [몰렸다|접수됐다].',
  '{co|은} {year}년까지 {tech} 매출을 {money|으로} [끌어올린다는|늘린다는] 목표를 세웠다.',
  '[최근|올해 들어] {tech} [가격이|수요가] {pct}% [상승하면서|회복되면서] 실적 개선 기대감도 커지고 있다.',
  '{person|은} "[고객과 함께|협력사와 함께] {tech} 생태계를 [키워 나가겠다|만들어 가겠다]"고 말했다.',
  '[업계는|시장은] {co}의 이번 [결정이|투자가] {tech2} 시장에도 [영향을 줄|파급 효과를 낼] 것으로 보고 있다.',
  '{co|은} [{city} 본사에서|온라인으로] [주주총회를|개발자 회의를] 열고 {tech} [로드맵을|사업 계획을] [공유했다|발표했다].',
];

export const EN_HEADLINES = [
  '{co} [unveils|launches|shows off] {prod} in {tech} push',
  '{co} and {co2} team up on {tech}',
  '{co} to invest {money} in {tech} [by {year}|over five years|this year]',
  '{co} {tech} revenue [jumps|climbs|rises] {pct}% in {quarter}',
  '{person} says {co} will [lead|win] in {tech}',
  '{co2} wins {tech} supply deal from {co}',
  '{co} opens {tech} [research center|plant|data center] in {city}',
  '[Why|How] {co} is betting on {tech}',
  '{co} [delays|speeds up] {prod} as {tech} demand [surges|cools]',
  '{co} shares [rise|fall] {pct}% after {tech} [news|update]',
];

export const EN_SENTENCES = [
  '{co} on [Monday|Tuesday|Wednesday|Thursday|Friday] [unveiled|announced|introduced] {prod}, a [new|next-generation] product aimed at the fast-growing {tech} market.',
  'The company said the new [design|chip|platform] [improves|raises] [power efficiency|throughput|performance] by {pct}% compared with the previous generation.',
  'Analysts expect the {tech} market to [keep growing|expand] at [double-digit rates|about {pct}% a year] [through {year}|for the next several years].',
  '{co} reported {tech}-related revenue of {money} in the {quarter}, [beating|missing|roughly matching] [analyst estimates|market expectations].',
  '"Our partnership with {co} [allows us to|will help us] [accelerate|scale] {tech} [for our customers|across our products]," a {co2} spokesperson said in a statement.',
  'According to [TrendForce|Counterpoint Research|IDC|Omdia], the global {tech} market [could reach|is on track to hit] {money} by {year}.',
  "{person} told [reporters|investors|an audience in {city}] that {tech} [was|remains] [the company's top priority|central to its long-term strategy].",
  "Brokerages [forecast|estimate] that {co}'s operating profit for the {quarter} will [rise|fall] {pct}% from a year earlier.",
  '{co} is also [considering|weighing|planning] a new {tech} [production line|research hub] in {city}, [people familiar with the matter said|according to local media reports].',
  'The move is likely to [intensify|heat up] competition with {co2}, which [has been expanding|recently expanded] its own {tech} [business|offerings].',
  'Governments have [stepped up|expanded] support for {tech}, with [subsidies|incentives] worth {money} [announced|approved] [this year|last year].',
  '{co} plans to [release|ship] a successor to {prod} [later this year|in the first half of next year|in {year}].',
  '"Demand for {tech} is [growing faster than expected|still outpacing supply]," said one [analyst|industry executive], who asked not to be named [because the talks are private|as the details are not public].',
  'The company [expects to hire|plans to add] about {num} [engineers|employees] [over the next year|in {city}] to support the [project|expansion].',
  'A version that combines {prod} with {tech2} [features|capabilities] is [expected|scheduled] to [follow|arrive] [next year|in {year}].',
  '{co} shares [rose|fell|closed] {pct}% [on the news|in {city} trading|after the announcement], [outperforming|lagging] the broader market.',
  '{co} became the [second|first] company after {co2} to [qualify|mass-produce|certify] {tech} [products|parts] [for major customers|at scale].',
  '[Industry watchers|Analysts] say demand for {tech2} [could become|is becoming] a [key driver|new swing factor] for the {tech} market.',
  'To [grow its developer ecosystem|win more customers], {co} [released a software development kit|opened a pilot program] for {prod}.',
  '[Still|However], [rising costs|supply-chain uncertainty|regulatory scrutiny] [remain|remains] a [concern|risk] for {tech} [suppliers|makers].',
  '{co} and {co2} have [worked together|cooperated] on {tech} [research|development] since {year}.',
  'The company will [demonstrate|show] {prod} [for the first time|publicly] at a [trade show|conference] in {city} next month.',
  "{co}'s {tech} [patent filings|research spending] [rose|increased] {pct}% [from a year earlier|year over year].",
  'That [puts|keeps] {co} [first|second|third] in the {tech} market with a share of about {pct}%, [according to|based on] [industry data|analyst estimates].',
  '"We will [keep expanding|continue to strengthen] our {tech2} [lineup|portfolio] to meet customer needs," {co} said.',
  'Separately, {co2} [outlined|announced] a new {tech} [investment plan|strategy] [on the same day|earlier this week].',
  'Early [reception|demand] has been [strong|encouraging]: the company said it received about {num},000 pre-orders in the first [day|week].',
  '{co} [aims to|wants to] [lift|grow] its {tech} revenue to {money} by {year}.',
  "[Recent|This year's] {pct}% [rise in {tech} prices|recovery in {tech} demand] has [raised|fuelled] hopes of [an earnings rebound|stronger margins].",
  '{person} said the company would "[build|grow] the {tech} ecosystem together with [customers|partners]."',
  'Industry [observers|executives] expect the [decision|investment] to [ripple through|shape] the {tech2} market as well.',
  '{co} [held|hosted] [its annual shareholder meeting|a developer conference] in {city}, where it [shared|laid out] a {tech} [roadmap|business plan].',
  'The [deal|agreement] is [worth|valued at] about {money} and [runs through|covers deliveries until] {year}, [the companies said|according to a regulatory filing].',
  '[Engineers|Executives] at {co} said the [biggest challenge|hardest part] was [keeping costs down|securing enough capacity|meeting power limits] while [scaling|ramping up] {tech}.',
  '[Critics|Some investors] [question|have questioned] whether {co} can [keep pace with|catch up to] {co2} in {tech}, [given|despite] its [late start|heavy spending].',
  'The [product|service] will be available in {num} [countries|markets] [at launch|by the end of the year], including South Korea, the United States and Japan.',
  '{co} did not [disclose|give] [pricing|financial terms], but [analysts|people briefed on the plan] put the [figure|value] at [roughly|about] {money}.',
  '[In a note to clients|In a report], [analysts at a Seoul brokerage|a Hong Kong-based analyst] [raised|lowered] their [target price|forecast] for {co} by {pct}%.',
  'The [announcement|launch] comes as {co2} [prepares|gets ready] to [ship|release] its own {tech} [products|chips] in the {quarter}.',
  '{co} said {prod} [uses|relies on] [its own|in-house] {tech2} [technology|software] to [cut latency|reduce costs|improve accuracy] by {pct}%.',
];

export const KO_CITIES = [
  '서울',
  '판교',
  '수원',
  '평택',
  '용인',
  '이천',
  '청주',
  '구미',
  '대전',
  '부산',
  '광주',
  '세종',
];
export const EN_CITIES = [
  'Seoul',
  'Austin',
  'Taipei',
  'San Jose',
  'Tokyo',
  'Hsinchu',
  'Dresden',
  'Phoenix',
  'Singapore',
];
export const KO_SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권'];
export const KO_GIVEN = [
  '민준',
  '서연',
  '지호',
  '하은',
  '도윤',
  '수아',
  '예준',
  '지우',
  '시우',
  '서준',
  '유진',
  '현우',
];
export const EN_FIRST = ['Jane', 'Daniel', 'Grace', 'Michael', 'Hannah', 'Kevin', 'Sarah', 'David', 'Emily', 'Jason'];
export const EN_LAST = ['Kim', 'Lee', 'Park', 'Smith', 'Chen', 'Nguyen', 'Miller', 'Lopez', 'Walker', 'Choi'];

export interface Outlet {
  name: string;
  host: string;
  /** A news agency whose stories other outlets republish. */
  wire: boolean;
}

export const KO_OUTLETS: Outlet[] = [
  { name: '한빛통신', host: 'hanbit-wire.example', wire: true },
  { name: '누리뉴스', host: 'nuri-news.example', wire: false },
  { name: '디지털투데이K', host: 'digitaltoday-k.example', wire: false },
  { name: '테크플러스', host: 'techplus.example', wire: false },
  { name: '바이트경제', host: 'byte-econ.example', wire: false },
  { name: '코리아IT타임즈', host: 'koreait-times.example', wire: false },
  { name: '서울테크일보', host: 'seoultech-daily.example', wire: false },
  { name: '미래신문', host: 'mirae-news.example', wire: false },
];

export const EN_OUTLETS: Outlet[] = [
  { name: 'Meridian Wire', host: 'meridian-wire.example', wire: true },
  { name: 'The Circuit', host: 'thecircuit.example', wire: false },
  { name: 'ByteDaily', host: 'bytedaily.example', wire: false },
  { name: 'Silicon Ledger', host: 'siliconledger.example', wire: false },
  { name: 'Asia Tech Review', host: 'asiatech-review.example', wire: false },
  { name: 'Chip Insider', host: 'chipinsider.example', wire: false },
];
