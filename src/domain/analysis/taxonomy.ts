import type { Taxonomy } from './types';

/**
 * Default themes. Terms are lower-case words/phrases; `*` matches any ending; `!` marks an
 * exclusion (a match overlapping it is ignored, e.g. "school run" is not about school).
 */
export const DEFAULT_TAXONOMY: Taxonomy = {
  themes: [
    {
      id: 'listened-to',
      label: 'Being listened to',
      terms: ['listen*', 'lissen*', 'lisen*', 'not heard', 'felt heard', 'hear me', 'heard me', 'my say', 'a say', 'no say', 'my views', 'her views', 'his views', 'our views', 'my voice', 'my wishes', 'what i wanted', 'what i want', 'what we wanted', 'nobody asked', 'no one asked', 'never asked', 'asked us', 'asked me what', 'asked my opinion', 'talk over me', 'talked over', 'talk over', 'talks over', 'spoke over', 'ignored', 'ignore me', 'involved in', 'not involved', 'invited to', 'not invited', 'never invited', 'without us', 'without me', 'decided without', 'decisions about', 'got to speak', 'let me speak', 'let me say', 'let her tell', 'let him tell', 'in her own time', 'in his own time', 'remembers what', 'taken into account', 'took into account', 'believe me', 'believed me', 'believed us', 'in meetings', 'my opinion', 'took me seriously', 'take me seriously', 'actually listened', '!listen to music', '!listening to music'],
    },
    {
      id: 'kept-informed',
      label: 'Being kept informed',
      terms: ['explain*', 'kept informed', 'kept us informed', 'kept me informed', 'kept us updated', 'kept me updated', 'no update', 'no updates', 'update', 'updates', 'updated', 'told me what', 'told us what', 'told me straight', 'nobody told', 'no one told', 'never told', 'told me why', 'told us why', 'what would happen', 'what will happen', 'what happens next', 'what happened next', 'happen next', "what's happening", 'whats happening', 'what is happening', 'rang back', 'ring back', 'ring me back', 'rings me back', 'rang me back', 'call back', 'called back', 'phone back', 'calls back', 'get back to', 'got back to', 'heard back', 'never heard', 'heard nothing', 'got a call', 'a call back', 'letter', 'letters', 'jargon', 'plain english', 'plain words', 'in touch', 'kept in the loop', 'acknowledged', 'acknowledge', 'answer my emails', 'answered my emails', 'reply', 'replied', 'replies', 'has reached me', 'reached me', 'found out', 'contact me', 'by email', 'update my details', 'note my new', 'minutes', 'report', 'records', 'the file', 'googled', 'let me ring', 'ring my mum', 'ring me', 'call me', 'text me', 'email me', 'old number', 'new number', 'number changed', '!letter box', '!minutes late', '!mins'],
    },
    {
      id: 'joined-up-working',
      label: 'Joined-up working',
      terms: ['joined up', 'joined-up', 'work together', 'worked together', 'working together', 'talk to each other', 'talked to each other', 'talking to each other', 'share information', 'shared record', 'shared information', 'same story', 'repeat', 'repeating', 'same things', 'start again', 'start from scratch', 'from scratch', 'handover', 'hand over', 'passed on', 'passed between', 'bounced', 'fell through', 'through the gap', 'through the cracks', 'no warning', 'signposted', 'different things', 'different teams', 'between teams', 'went missing', 'stayed involved', 'referral', 'referrals', 'round in circles', 'keep explaining', 'keep telling', 'nobody else', 'adult services', 'other agencies', 'agencies', 'records', '!referral to the food'],
    },
    {
      id: 'timeliness',
      label: 'Timeliness',
      terms: ['wait', 'waited', 'waiting', 'waiting list', 'delay*', 'slow', 'slowly', 'quick', 'quickly', 'straight away', 'within the hour', 'ages', 'for ages', 'months', 'weeks', 'a year', 'over a year', 'nearly a year', 'cancel*', 'reschedul*', 'rearrang*', 'was moved', 'postponed', 'late', 'on time', 'took weeks', 'took months', 'still no', 'still waiting', 'still nothing', 'still not', 'still haven', 'not enough staff', 'short staffed', 'no staff', 'been waiting', 'in the system', 'a month', 'for a month', 'three weeks', 'hours', 'the next day', 'next day', 'ran out', 'too long', '!waiting room', '!ages of', '!hours later', '!24 hour', '!for hours'],
    },
    {
      id: 'mental-health',
      label: 'Mental health',
      terms: ['camhs', 'counsel*', 'therap*', 'anxiety', 'anxious', 'depress*', 'low mood', 'mental health', 'wellbeing', 'emotional', 'feelings', 'self harm', 'self-harm', 'hurt myself', 'hurting myself', 'harm myself', 'kill myself', 'panic', 'kooth', 'psycholog*', 'psychiatr*', 'breathing', 'calm room', 'eating disorder', 'stopped eating', 'ocd', 'adhd', 'suicid*', 'cutting', 'cuts on', 'want to die', 'be here anymore', 'better off without', 'overdose', 'paracetamol', 'end it', 'end my life', 'jump off', 'starving myself', 'killing myself', 'wellbeing', 'stress*', 'get angry', 'when it gets bad', 'gets bad', 'calmer', 'mental', 'family therapy', 'app', '!shout'],
    },
    {
      id: 'school',
      label: 'School and education',
      terms: ['school', 'schools', 'teacher*', 'class', 'classes', 'lesson*', 'head of year', 'headteacher', 'the head', 'form tutor', 'tutor', 'attendance', 'exclu*', 'managed move', 'pe', 'assembly', 'homework', 'exam', 'exams', 'maths', 'spelling test', 'reading', 'learning mentor', 'mentor', 'corridor', 'senco', 'send', 'ehcp', 'year 6', 'year 7', 'year 8', 'year 9', 'year 10', 'year 11', 'ysgol', 'college', 'break time', 'brake time', 'dinner lad*', 'lunch', 'uniform', 'report', 'detention', 'bus to school', 'miss ', 'sir', 'playground', 'yard', 'dislexia', 'dyslexia', '!school run', '!school play', '!school nurse', '!after school', '!before school', '!school holidays'],
    },
    {
      id: 'police',
      label: 'Police',
      terms: ['police', 'officer', 'officers', 'pc', 'dc', 'ds', 'detective', 'station', 'custody', 'arrest*', 'appropriate adult', 'solicitor', 'court', 'investigation', 'neighbourhood officers', 'community officers', 'pcso', 'pcsos', 'cops', 'feds', 'radio', 'statement', 'the case'],
    },
    {
      id: 'health',
      label: 'Health',
      terms: ['gp', 'doctor*', 'nurse', 'nurses', 'health visitor', 'hospital', 'a&e', 'ae', 'dentist', 'ward', 'paediatric*', 'injection', 'injecshun', 'apointment', 'appointment', 'wheelchair', 'nhs', 'surgery', 'clinic', 'midwife', 'plaster', 'breastfeeding', 'rash', 'health', 'assessment', 'medication', 'medicine', 'ambulance', 'hearing', 'autism assessment', 'adhd assessment', 'school nurse', 'referral', '!mental health', '!health and safety', '!emotional health'],
    },
    {
      id: 'out-of-hours',
      label: 'Out of hours',
      terms: ['out of hours', 'out-of-hours', 'night', 'nights', 'at night', 'overnight', 'midnight', 'weekend', 'weekends', 'saturday', 'sunday', 'friday night', 'emergency duty', 'edt', '2am', '3am', '4am', '1am', '5am', 'after hours', 'offices are closed', 'office closed', 'bank holiday', 'night worker', 'night team', 'late at night', 'that night', 'on call', '!nights out', '!work nights', '!i work nights', '!on nights', '!last night'],
    },
    {
      id: 'feeling-safe',
      label: 'Feeling safe',
      terms: ['safe', 'safer', 'safety', 'unsafe', 'not safe', 'scared', 'scary', 'frightened', 'afraid', 'protect*', 'bricking it', 'hiding', 'hurts me', 'hits me', 'hit me', 'locks me', 'bruises', 'danger', 'dangerous', 'threat*', 'bully*', 'pick on me', 'picks on me', "on the yard", 'the yard', 'touching', 'touches', 'nudes', 'pics', 'groom*', 'knife', 'bat', 'drugs', 'owe', 'kicked the door', 'please someone', 'fighting', 'smacks', 'beat', 'punches', 'strangled', 'worried', 'worry', 'vulnerable', 'missing', 'county lines', 'exploit*', 'abuse', 'abused', 'violent', 'violence', 'the park', 'too scared', 'feel better', 'felt better', 'frightened', 'hold stuff', 'do a run', 'deliver packages', 'locked', 'older men', 'year old man', 'share my pics', 'no lights', 'banging', 'screaming', 'belt', 'chucked', 'pins me', 'jump off', 'driving drunk', 'pushed her', 'mature for my age', 'in my room at night', '!safe to say', '!safe space'],
    },
    {
      id: 'trust-respect',
      label: 'Trust and respect',
      terms: ['trust*', 'respect*', 'kind', 'kindness', 'kinder', 'judg*', 'judged', 'rude', 'patronis*', 'talk down', 'like a little kid', 'like a person', 'like a child', 'new social worker', 'different social workers', 'changes of worker', 'change of worker', 'same worker', 'keeps changing', 'changing every', 'different workers', 'too many workers', 'new worker', 'leaving', 'getting to know', 'remembers', 'believe*', 'brave', 'lovely', 'sound', 'honest', 'fair', 'caring', 'cared', 'dignity', 'embarrass*', 'humiliat*', 'in front of', 'everyone saw', 'walked out', 'straight up', 'no judgement', 'great with', 'fab', 'the best', 'treated me', 'treated us', 'behind my back', 'nice', 'funny', 'gets me', 'was fine', 'sat with', 'trust them', 'lovely with', '!fair on anybody', '!isn\'t fair', '!not fair', '!fair enough', '!sound like', '!sounds'],
    },
    {
      id: 'practical-support',
      label: 'Practical support',
      terms: ['early help', 'parenting', 'family support', 'support worker', 'money', 'benefits', 'universal credit', 'housing', 'food', 'foodbank', 'food bank', 'food pantry', 'pantry', 'vouchers', 'grant', 'transport', 'bus pass', 'taxi', 'lifts', 'practical', 'routine', 'routines', 'bedtime', 'bills', 'gas bill', 'electric', 'furniture', 'beds', 'cooker', 'clothes', 'coat', 'boxing club', 'club', 'group', 'course', 'funding', 'holiday club', 'childcare', 'ramp', 'adaptation*', 'form', 'paperwork', 'help with the money', 'got help', 'sorted', 'session', 'sessions', 'a place to stay', 'placement', 'get to college', 'school uniform', '!support group', '!group chat'],
    },
    {
      id: 'inclusion-access',
      label: 'Inclusion and access',
      terms: ['welsh', 'english only', 'in english', 'cymraeg', 'language', 'interpreter*', 'translat*', 'disab*', 'send', 'special needs', 'additional needs', 'aln', 'autism', 'autistic', 'adhd', 'dyslexia', 'dislexia', 'wheelchair', 'ramp', 'lift', 'accessib*', 'access', 'culture', 'cultural', 'religion', 'religious', 'prayer*', 'jummah', 'mosque', 'church', 'halal', 'polish', 'romanian', 'urdu', 'arabic', 'bsl', 'deaf', 'hearing', 'blind', 'online session', 'diolch', 'fluent', 'daytime', 'ehcp', 'neurodiv*', '!welsh cakes'],
    },
  ],
};
