// English advice texts. Source language for the other packs; keep steps short and imperative.
import type { CauseCode } from '../codes.js';
import type { CauseText, UiText } from './types.js';

export const causes: Record<CauseCode, CauseText> = {
  'no-face': {
    title: 'No face found',
    why: 'The system has to find your face before it can compare it with your ID, and it could not find one in this capture.',
    steps: [
      'Use the front camera and make sure your whole face is inside the frame.',
      'Light your face from the front so it stands out from the background.',
      'Remove anything covering your face, such as a mask, hat or sunglasses.',
    ],
  },
  'multiple-faces': {
    title: 'More than one face',
    why: "When more than one face is visible, the system can't tell which one to compare with your ID, so it rejects the capture.",
    steps: [
      'Make sure you are the only person in the frame.',
      'Ask anyone behind you to step out of view.',
      'Move away from photos, posters or screens that show faces.',
    ],
  },
  'too-dark': {
    title: 'Face too dark',
    why: "In dim light your features lose detail, so they can't be reliably matched to your ID photo.",
    steps: [
      'Sit facing a window; daylight works best.',
      "If it's still dark, put a lamp in front of you, but not one that is too bright.",
      "Don't rely on overhead lights alone; they cast shadows over your eyes.",
    ],
  },
  'too-bright': {
    title: 'Face too bright',
    why: 'Too much light washes out your skin and features, leaving too little detail to compare.',
    steps: [
      'Move out of direct sunlight.',
      'Switch off or move back any lamp shining straight at your face.',
      'Sit facing a window with soft daylight instead.',
    ],
  },
  backlit: {
    title: 'Light behind you',
    why: 'With a bright window or lamp behind you, the camera adjusts to the background and your face ends up in shadow.',
    steps: [
      "Don't sit with a window or lamp behind you.",
      'Turn around so the window is in front of you.',
      "If you can't move, close the curtains behind you or switch that lamp off.",
    ],
  },
  'uneven-lighting': {
    title: 'Uneven light on face',
    why: 'When one side of your face is much darker than the other, shadows hide your features and can make you look different from your ID photo.',
    steps: [
      'Face the light source directly so both sides of your face are evenly lit.',
      'Move away from overhead lights that cast shadows.',
      'If one side stays darker, add a lamp in front of you.',
    ],
  },
  flicker: {
    title: 'Flickering light',
    why: 'Some LED and fluorescent lights on mains power flicker faster than the eye can see, making the brightness pulse from frame to frame, which interferes with the liveness check.',
    steps: [
      'Switch to daylight: sit facing a window and turn the flickering light off.',
      'If you need artificial light, use a different lamp or bulb.',
    ],
  },
  blur: {
    title: 'Image blurry',
    why: 'Blur smears the fine details of your face that the system compares with your ID.',
    steps: [
      'Wipe the camera lens with a soft cloth.',
      'Hold the phone still, or rest it on something steady.',
      'Wait a moment for the camera to focus before you capture.',
      'Add more light; cameras blur more easily in dim light.',
    ],
  },
  noise: {
    title: 'Grainy image',
    why: 'In low light the camera adds grainy noise that hides the fine detail of your face.',
    steps: [
      'Add more light; it is the most effective way to reduce grain.',
      'Clean the camera lens.',
      'If you can, use a device with a better camera.',
    ],
  },
  'low-resolution': {
    title: 'Resolution too low',
    why: "Your face covers too few pixels, so there isn't enough detail to match it against your ID.",
    steps: [
      'Use a device with a better camera.',
      'Move closer, to 30–50 cm from the camera, so your face fills more of the picture.',
      'Upload the original photo, not a screenshot or a copy compressed by a chat app.',
    ],
  },
  'too-close': {
    title: 'Too close to the camera',
    why: 'Up close, the lens distorts your features and parts of your face may be cut off.',
    steps: [
      'Hold the camera 30–50 cm from your face.',
      'Make sure your whole face, from chin to hairline, fits inside the frame.',
    ],
  },
  'too-far': {
    title: 'Too far from the camera',
    why: 'From too far away your face covers only a few pixels, which is too little detail to check.',
    steps: [
      'Move closer so the camera is 30–50 cm from your face.',
      'Let your face fill the frame or oval shown on screen.',
    ],
  },
  'off-center': {
    title: 'Face not centred',
    why: 'Near the edge of the picture your face may be cut off or distorted, and the system may not detect it reliably.',
    steps: [
      'Centre your face in the frame.',
      'Keep your whole face inside the frame, with a little space around it.',
      'Hold the phone straight in front of you at eye level.',
    ],
  },
  'head-pose': {
    title: 'Head turned or tilted',
    why: 'Your ID photo was taken face-on, so a turned or tilted head makes the comparison less reliable.',
    steps: [
      'Look straight at the camera.',
      "Hold the phone at eye level so you don't look up or down at it.",
      'Keep your head upright, not tilted to one side.',
    ],
  },
  mask: {
    title: 'Face covered by a mask',
    why: 'A mask hides your nose, mouth and chin, which the system needs to compare you with your ID.',
    steps: [
      'Take off your mask for the capture.',
      'Make sure nothing else, such as a scarf or your hand, covers your nose, mouth or chin.',
    ],
  },
  sunglasses: {
    title: 'Sunglasses on',
    why: 'Sunglasses hide your eyes, which are among the most important features for matching your face to your ID.',
    steps: [
      'Take off your sunglasses, and tinted glasses too.',
      'If your ID photo shows you in ordinary glasses you may keep them on; otherwise take them off as well.',
    ],
  },
  bangs: {
    title: 'Hair covering the eyes',
    why: 'Hair over your eyes or eyebrows hides features the system uses to compare you with your ID.',
    steps: [
      'Pin or brush your bangs away from your eyes and eyebrows.',
      'Tuck loose hair behind your ears so the outline of your face shows.',
    ],
  },
  headwear: {
    title: 'Hat or head covering',
    why: 'A hat, cap or hood casts shadows and hides your forehead and the outline of your face.',
    steps: [
      'Take off your hat, cap or hood.',
      'If you wear a head covering for religious reasons, keep your whole face visible from forehead to chin and contact support for special handling.',
    ],
  },
  'glasses-glare': {
    title: 'Glare on glasses',
    why: 'Reflections on your lenses can hide your eyes, which are key to matching your face.',
    steps: [
      'Tilt your glasses slightly downward so reflections point away from the camera.',
      "Move the lamp higher or to the side so it doesn't shine straight onto the lenses.",
      "If the glare stays, take your glasses off, especially if you don't wear them in your ID photo.",
    ],
  },
  'eyes-closed': {
    title: 'Eyes closed',
    why: 'The system needs to see your eyes open, both to compare you with your ID and to confirm that a live person is present.',
    steps: [
      'Keep your eyes open and look at the camera.',
      'If bright light makes you squint, soften it or move away from it.',
      'Blink only when the app asks you to.',
    ],
  },
  'mouth-open': {
    title: 'Mouth open',
    why: 'An open mouth changes the shape of your face, which makes it harder to match to your ID photo.',
    steps: [
      'Close your mouth and keep a neutral expression.',
      "Don't talk during the capture.",
      'Open your mouth only when the app asks you to.',
    ],
  },
  shaking: {
    title: 'Camera shaking',
    why: 'A shaking camera blurs the frames and makes your face jump around, so the system cannot track it reliably.',
    steps: [
      'Hold the phone with both hands and keep it still.',
      'Better still, rest it on a table or a stack of books.',
      'Stay still yourself until the capture is finished.',
    ],
  },
  'moving-too-fast': {
    title: 'Moving too fast',
    why: 'Fast movements blur the video and can outrun the camera, so some steps of the check are never captured.',
    steps: [
      'Follow each prompt at a natural, steady speed.',
      'Wait for one prompt to finish before starting the next.',
      'Pause briefly after each movement.',
    ],
  },
  'face-lost': {
    title: 'Face left the frame',
    why: "If your face leaves the frame or the video stutters during the check, the system can't confirm it is the same live person throughout.",
    steps: [
      'Keep your whole face in the frame for the entire recording.',
      "Don't turn your head so far that the camera loses you.",
      'Use a stable network and the mobile app rather than the web page.',
    ],
  },
  'frozen-video': {
    title: 'Video froze',
    why: 'Frozen or dropped frames break the continuous video the liveness check needs to confirm you are really there.',
    steps: [
      'Switch to a stable network, such as good Wi-Fi.',
      'Use the mobile app instead of the web page.',
      'Close other apps that use the camera or the network, then try again.',
    ],
  },
  'too-short': {
    title: 'Recording too short',
    why: 'The video stopped before the check had enough footage to confirm you are a live person.',
    steps: [
      'Keep recording until the on-screen prompt says it is finished.',
      "Don't switch apps or lock the screen while recording.",
    ],
  },
  'action-missing': {
    title: 'Requested action not seen',
    why: 'The liveness check asks for actions such as blinking to prove a real person is present, and it did not see the one it asked for.',
    steps: [
      'Watch for the prompt and do exactly what it asks: blink, open your mouth or turn your head.',
      'Make the movement clear and deliberate, not too small.',
      'Keep your face in the frame while you do it.',
    ],
  },
};

export const escalation: string[] = [
  'After several failed attempts, wait a while before trying again.',
  'Try a different document, for example your passport instead of your ID card.',
  'Contact support and ask for a manual review.',
];

export const ui: UiText = {
  verdict: { pass: 'Pass', warn: 'Warning', fail: 'Fail', error: 'Error' },
  category: {
    face: 'Face',
    lighting: 'Lighting',
    obstruction: 'Obstruction',
    framing: 'Framing',
    device: 'Camera',
    motion: 'Motion',
    liveness: 'Liveness',
  },
  whatToDo: 'What to do',
  why: 'Why',
  measured: 'measured',
  limit: 'limit',
  withinLimit: 'within limit',
  conditionMet: 'condition met',
  notJudged: 'Not judged on this picture',
  fixFirst: 'fix first',
  confidence: 'confidence',
  noProblems: 'No problems found',
  couldNotAnalyze: 'Could not analyze',
  ifKeepsFailing: 'If it keeps failing',
  faces: 'faces',
  yes: 'yes',
  no: 'no',
  summary: 'Summary',
  total: 'Total',
  topCauses: 'Most common causes',
  slowest: 'Slowest files',
  errors: 'Errors',
  when: 'When',
  seconds: 's',
  frameShare: 'share of frames',
  worstFrameAt: 'worst frame at',
  report: {
    title: 'Face capture report',
    generated: 'Generated',
    byVerdict: 'By verdict',
    byCause: 'By cause',
    filterHint: 'Click a verdict or a cause to filter the files.',
    search: 'Search file name',
    shown: 'Shown',
    noMatch: 'No file matches the filters.',
    clearFilters: 'Clear filters',
    noPreview: 'No preview available',
    detectedFace: 'Detected face',
    problemArea: 'Problem area',
    timeline: 'Timeline',
    worstFrames: 'Worst frames',
    duration: 'Duration',
    elapsed: 'Analysis time',
    closeUp: 'Face close-up',
  },
};
