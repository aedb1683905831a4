// THE threshold profile file. Every number an analyzer compares against lives here, with a note
// on where it comes from. Luma values are Rec.601 on 0..255; "share" values are fractions 0..1.
// Values marked "tuned" were set on the `tune` half of the synthetic evaluation set
// (tools/make-eval-set.ts) and checked on the `test` half; see docs/ACCURACY.md.

export interface Threshold {
  value: number;
  note: string;
}

export interface ProfileSpec {
  extends?: string;
  description: string;
  thresholds: Partial<Record<ThresholdKey, Threshold>>;
}

const KYC_SELFIE = {
  // --- face detection -------------------------------------------------------------------------
  'face.minScore': { value: 0.55, note: 'BlazeFace score above which a detection reaches the analyzers; MediaPipe uses 0.5. On the tune half, 0.5 would find 7 % more faces cut by the frame edge but let through junk boxes (0.50–0.55) in 17 % of face-less frames, so the floor stays at 0.55; which detection is the person is decided by faces.* below.' },
  'faces.secondMinAreaShare': { value: 0.12, note: 'a second face counts if its box area is at least this share of the main face; smaller ones are distant bystanders (warn only).' },
  'faces.bystanderMinAreaShare': { value: 0.03, note: 'below this share of the main face area a second detection is ignored (posters, photos on the wall at the back).' },
  'faces.mainScoreSlack': { value: 0.15, note: 'a larger box over the best face\'s centre replaces it as the subject if it scores within this of the best: a face filling the frame gets several weak boxes and the largest is the truest, while a weak 0.55–0.75 box around a confident (0.9+) far face is not taken.' },
  'faces.otherMinScore': { value: 0.75, note: 'another person needs this BlazeFace score; of the best-scoring face and the faces above this score, the largest is the subject (the nearest person: a small face far behind can score higher). tuned: pasted second people score ≥ 0.75 in 90 of 93 tune images, while spurious second boxes on blurred, upscaled or frame-filling single faces stay below 0.75 (0 of 480 tune images with one person).' },
  'faces.sameHeadOverlap': { value: 0.3, note: 'a detection with this share of its box inside the subject\'s head box (face box grown for hair and chin) is a duplicate of the same head, not a second person.' },

  // --- exposure (src/analyzers/exposure.ts) ----------------------------------------------------
  // "tune" = the tune half of tools/make-eval-set.ts on ../shared/data/clean (96 clean photos and
  // their synthetic degradations); "negatives" = ../shared/data/{clean,eyeglasses,bangs,hat,mask,
  // sunglasses,blur} (1085 real photos). Stops are of linear light (sRGB decoded).
  'dark.headroom.warn': { value: 1.25, note: 'stops between white and the frame\'s 99.9th percentile (≈ luma 172). A camera with enough light puts some highlight (a lamp, a white wall, a catch-light, skin shine) near white whatever the skin tone. tuned: clean tune max 0.82, negatives p99 1.06 (dim CelebA stills up to 2.2); synthetic too-dark tune min 1.30 (the mildest darkening is 1.3 stops).' },
  'dark.headroom.fail': { value: 3, note: 'nothing brighter than ~luma 100: a dark room. tuned: synthetic too-dark tune median 3.4; ../shared/data/dark ≥ 2.9.' },
  'dark.faceP90.warn': { value: 45, note: 'the face\'s brightest tenth (skin-area luma) when the surroundings are not bright: even dark skin in poor light keeps highlights above this. Negatives p1 = 54 (and those are backlit webcam frames, left to backlit via dark.litSurroundP50).' },
  'dark.faceP90.fail': { value: 30, note: 'the face is nearly black.' },
  'dark.litSurroundP50': { value: 150, note: 'median luma around the head above which a dark face is reported as backlit, not too-dark (the fix is to turn around, not to add light). Same level as backlit.minSurroundP50.' },
  'bright.faceClipShare.warn': { value: 0.5, note: 'share of the upper face (forehead, eyes, upper cheeks) at luma ≥ 250. Pale skin in bright light clips the forehead and cheeks while the features survive: clean tune p99 0.43 (max 0.63, a visibly blown NUAA frame); synthetic too-bright tune median 0.43.' },
  'bright.faceClipShare.fail': { value: 0.8, note: 'most of the upper face burnt out (synthetic too-bright tune p90 ≈ 0.86).' },
  'bright.faceP25.warn': { value: 200, note: 'luma of the upper face\'s darker quarter (brows, eye sockets, shading): features washing out. tuned: clean tune p99 199, negatives p99 187; synthetic too-bright tune median 210.' },
  'bright.faceP25.fail': { value: 230, note: 'features nearly gone.' },
  'bright.blownFaceP25': { value: 180, note: 'a light upper face (darker quarter ≥ this) in a frame with bright.blownClipShare clipped is also too bright. tuned: at 150 recall +8 % but 6 % of the (white-background product) mask photos fire; at 180 1.4 %.' },
  'bright.blownFaceP50': { value: 205, note: 'or an upper-face median (forehead, eyes, upper cheeks: clear of a white mask) this light, with bright.blownClipShare of the frame clipped, is too bright: overexposure lifts the face and burns the scene together. A pale face well exposed sits at 170–205. tuned with blownClipShare on the tune half (2026-11-26 synthesis: skin median ≥ 215 or ≥ 30 % burnt white).' },
  'bright.blownClipShare': { value: 0.15, note: 'share of the frame at luma ≥ 250 that makes a light face count as overexposed (see bright.blownFaceP25, bright.blownFaceP50). tuned: tune too-bright recall 0.875 with 1/180 clean and 5/917 other real photos firing (mask photos on white product backdrops: 5/220); 0.1 gives 0.885 but 7/220 mask photos (3.2 %); 0.05 flags 16 clean photos (one overexposed NUAA webcam session, skin median 232–243 but only 6–8 % of the frame clipped).' },
  'bright.faceOverSceneStops.warn': { value: 2.2, note: 'a light upper face (bright.blownFaceP25 / bright.blownFaceP50) this many stops of light above the frame\'s median is also too bright: the camera metered for a dark scene and the face, lit far more than it, went to white (a lamp or screen close in front in a dark room). tuned on the tune half (2026-11-26): clean light faces sit 0.2–1.9 stops above their frame (the overexposed NUAA webcam session 1.4–1.9), the synthetic too-bright faces it catches 2.5–6; 2 of 917 other real photos (a bright face on a black product ad, a pale CelebA still) and 0 of 180 clean.' },
  'bright.faceOverSceneStops.fail': { value: 4, note: 'the face lit 16× its scene: its highlights are gone whatever the skin.' },
  'bright.highlightHueShift.warn': { value: 20, note: 'degrees of HSV hue between the upper face\'s brighter half (up to white) and its darker tones; with a light upper face (bright.blownFaceP25 / bright.blownFaceP50) this much is too bright: skin is red > green > blue, so red reaches full scale first and, pinned there while green keeps rising, turns the bright skin yellow; lit and shaded skin otherwise share one hue. tuned on the tune half (2026-11-26): clean tune median 2°, p97 15°; of all 180 clean photos the highest light, coloured face is 17° (a bright cdfmd portrait, test half); the overexposed NUAA webcam sessions reach 20° but near grey (see bright.highlightChroma.min); synthetic too-bright tune median 22°, p25 16°. Set between the clean 15–17° and the 22° and 26° of the two tune photos it adds; no clean or other real photo fires.' },
  'bright.highlightHueShift.fail': { value: 32, note: 'the bright skin near yellow (skin sits at about 15–25°, yellow at 60°): synthetic too-bright tune p90 31°.' },
  'bright.highlightChroma.min': { value: 0.15, note: 'the hue shift is judged only when the brighter half\'s median chroma ((max − min) / max) reaches this: on near-grey highlights a few levels of noise swing the hue by tens of degrees. The NUAA webcam frames with a shift ≥ 15° (sessions that desaturate their highlights) sit at 0.05–0.12; other clean faces p5 0.20, median 0.33.' },
  'bright.frameClipShare.warn': { value: 0.5, note: 'no face found: half the frame burnt out (with bright.frameP10.min) is the likely reason. With a face the face decides: white studio backdrops clip as much.' },
  'bright.frameClipShare.fail': { value: 0.7, note: 'most of the frame burnt out.' },
  'bright.frameP50.warn': { value: 240, note: 'no face, or an uncertain one: half the frame near white. Negatives with a weak or no face: none reach it; with a confident face white backdrops do (negatives p97 228, p99 251), so it is not used then.' },
  'bright.frameP50.fail': { value: 252, note: 'half the frame clipped.' },
  'bright.trustFaceScore': { value: 0.7, note: 'below this detector score the face may be something else (a burnt-out face is often missed and a collar or helmet found): the frame is judged too. 14 of 1085 negatives detect below 0.7.' },
  'bright.frameP10.min': { value: 40, note: 'no face: the frame\'s darkest tenth lifted off black, as overexposure does (negatives median 28).' },

  // --- lighting geometry (src/analyzers/lighting.ts) ---------------------------------------------
  'backlit.gapStops.warn': { value: 4.5, note: 'stops between the surroundings of the head (upper quartile) and the face\'s highlights (90th percentile): a face in silhouette. tuned: clean tune max 3.95 (a NUAA webcam session with a dark face before a bright wall), negatives p99 4.2.' },
  'backlit.gapStops.fail': { value: 5.5, note: 'deep silhouette. The same 1-stop step from warn to fail applies to backlit.veiledGapStops.warn.' },
  'backlit.veiledGapStops.warn': { value: 1, note: 'the gap that suffices when the frame is veiled (backlit.veilBlackLevel): light from behind scattered in the lens. tuned: synthetic backlit tune p5 0.69, median 2.1; a well-lit face before a white backdrop has 0–1 stop and true blacks.' },
  'backlit.veilBlackLevel': { value: 30, note: 'the frame\'s 1st-percentile luma at or above which it counts as veiled (no true blacks). Clean tune p95 26, negatives p95 44 (lifted-black CelebA stills); synthetic backlit tune min 29.' },
  'backlit.minSurroundP50': { value: 150, note: 'median luma around the head: backlight needs a bright background. Synthetic backlit tune p5 157.' },
  'uneven.ratio.warn': { value: 2.3, note: 'ISO/IEC 29794-5 illumination-uniformity idea as a lighting ratio (linear light, brighter ÷ darker half; 2 = one stop): mirrored points of the two face halves (brow to mouth line, inner to outer cheek) are compared and the ratio is the one 3/4 of the pairs reach. 2:1 is ordinary portrait light, 4:1 dramatic. tuned (2026-11-26 synthesis: 2–4 stops between the cheeks, shadow on the side the photo already had darker): synthetic tune p5 2.46, recall 0.958; clean photos p97 1.9 (3/180 above, side-lit CelebA stills); other real photos 35/917 above (3.8 %; one side-lit NUAA eyeglasses session). 2.15 adds 1 % recall and 11 false alarms.' },
  'uneven.ratio.fail': { value: 4, note: '4:1 (two stops): one side of the face in shadow (synthetic tune p75 ≈ 4).' },
  'uneven.minIed': { value: 12, note: 'eye distance in working pixels below which the two halves are not compared (too few pixels per sample).' },
  'flicker.amplitude.warn': { value: 0.02, note: 'amplitude of the coherent horizontal banding in natural-log luma (≈ ±2 % brightness). The mildest synthetic flicker (10 % of the light) measures ≈ 0.045; the other flicker tests carry the discrimination.' },
  'flicker.amplitude.fail': { value: 0.06, note: 'bands clearly visible by eye (±6 %).' },
  'flicker.minCoherence': { value: 0.25, note: 'share of the 8 vertical strips whose own profile carries the band wave in phase (±~50°, ≥ 0.4 of its strength). Lights band the whole width; a blind or flag does not. Strips through a close-up face follow its rows and clipped white walls carry no modulation, so 2 of 8 suffice with the other tests (tune half 2026-11-27: 3 of 8 lost 6 of 96 synthetic flicker, no false alarm gained).' },
  'flicker.minProminence': { value: 2, note: 'power of the band wave ÷ the power-law fit of the row-gradient spectrum at its frequency. The five flicker tests were tuned together on the tune half (tools/make-eval-set.ts --split tune, 2026-11-27, 2.0–5.4 band periods; docs/ACCURACY.md) with rows weighted by column agreement, a linear trend and scene-edge spikes clamped (flicker.ts DESPIKE_*): at 2–3 bands per frame the gradient profile holds little of the band\'s power, so prominence is a weak test; 2 only rejects flat, peakless spectra (1 would catch 83/96 at 4/917 other real photos instead of 81/96 at 3/917).' },
  'flicker.minPeriodicity': { value: 0.3, note: 'share of the whole-width row-gradient profile\'s (densest third of the columns, rows weighted by how closely they agree, scene-edge spikes clamped) variance one sinusoid explains. Clamping the spikes raises it for bands and scenes alike; tune half 2026-11-27: 0.3 (was 0.25 before the clamp) keeps the clean tune photos at 0/96.' },
  'flicker.minEvenness': { value: 0.3, note: 'the band wave\'s strength in the weakest quarter of the frame height ÷ its overall strength. Bands are as strong at the top as at the bottom; a scene\'s layout (a wall above a shirt, a face) is not. Tune half 2026-11-27 (spikes clamped): 0.2–0.3 give the same recall and false alarms; clean tune photos median ≈ 0.1.' },
  'flicker.minRegularity': { value: 0.16, note: 'periodicity × evenness: a weak sinusoid must be very even, an uneven one very periodic. With the limits above and scene-edge spikes clamped (tune half, 2026-11-27): synthetic flicker 81/96, clean tune photos 0/96, other real photos 3/917, clean real photos 0/180 (before the clamp: 73/96, 0/96, 4/917, 0/180). 0.2 would catch 78/96 at 2/917.' },

  // --- sharpness and noise --------------------------------------------------------------------
  'blur.canonicalSize': { value: 32, note: 'side in px of the inner-face crop (eyes to mouth, 1.6× the eye distance) on which blur is measured: ~20 px between the eyes, so a CelebA-size face (≈20 px) is at its native scale and every larger face is judged at the same relative scale.' },
  'blur.score.warn': { value: 0.6, note: 'tuned: blur-model probability (src/analyzers/blur-model.ts, fitted by tools/train-blur.ts on the tune half); at 0.6 no tune clean photo is flagged and 92 of 96 tune blurs are (test half: 80/84).' },
  'blur.score.fail': { value: 0.9, note: 'tuned: ~80 % of tune blurs score above this (radius ≥ ~4 % of the face width); clean photos stay below 0.6.' },
  'blur.motionDirectionality': { value: 0.6, note: 'tuned: share of the detail loss that runs along one direction (cos 2φ amplitude of the per-direction two-octave loss ÷ mean loss). Tune half: lens blurs 0.16–0.5 (median 0.36), straight shakes 0.44–3 (median 0.9); at 0.6 83 % of each are named right.' },
  'blur.minFacePx': { value: 32, note: 'inner-face side in working px (≈ 20 px between the eyes) below which blur is not judged: the crop would have to be enlarged, which blurs it; such faces are reported as low-resolution instead. Also the smallest region noise is read from.' },
  'blur.native.unitPx': { value: 22, note: 'face unit (larger of the eye distance and 1.1 × the eye–mouth height) in px at which the native-scale blur measure reads a face (sharpness-native.ts): the median of the CelebA photos it was fitted on. Larger faces are area-averaged down to it, smaller ones are read as they are (never enlarged).' },
  'blur.native.warn': { value: 0.82, note: 'tuned: native-scale blur probability (blur-model-native.ts). 5-fold CV by tools/train-blur-native.ts on CelebA (127 Blurry vs 357 non-blurry bangs/hat/eyeglasses photos): at 0.82 3 % of the sharp ones are flagged. clean/ was not used. Only ever a warning: this is the mild blur a sharper shot fixes.' },
  'blur.native.minUnitPx': { value: 12, note: 'smallest face unit (px; ~11 px between the eyes, the smallest CelebA face it was fitted on) the native measure judges: below it a face is a few blobs whose edges say nothing about focus, and it is left to low-resolution alone.' },
  'blur.native.maxUnitPx': { value: 32, note: 'largest face unit the native measure judges: it was fitted on CelebA faces with 11–27 px between the eyes only; larger faces hold enough pixels for the canonical measure, and shrunk to the native scale they were never validated (a sharp 90 px-eye portrait read as soft).' },
  'blur.frameMinContrast': { value: 20, note: 'no face: RMS 4-px difference (luma levels) a frame tile needs to be judged for blur; plain walls and clothing have less and say nothing about focus.' },
  'noise.sigma.warn': { value: 2.2, note: 'tuned: Immerkær noise σ (luma levels, lower-quartile estimate) on the inner face at working resolution. Tune clean photos reach 1.7 (98th percentile), the mildest synthetic sensor noise (σ 4 at mid-grey before JPEG) measures 2.7 (5th percentile).' },
  'noise.sigma.fail': { value: 6, note: 'tuned: grain that masks skin texture and edges (synthetic σ ≥ ~9 at mid-grey).' },

  // --- framing ---------------------------------------------------------------------------------
  'framing.faceSize.tooFarWarn': { value: 0.125, note: 'face box width ÷ frame diagonal. A camera\'s field of view is roughly fixed along the diagonal, so this is ∝ 1/distance whatever the aspect ratio: with an 80° diagonal phone lens and a 15 cm face box, 50 cm gives 0.18 and 0.125 is about 70 cm. tuned: clean tune photos ≥ 0.175, synthetic too-far ≤ 0.12 (test half: ≥ 0.218 and ≤ 0.116).' },
  'framing.faceSize.tooFarFail': { value: 0.09, note: 'about 1 m from the camera.' },
  'framing.faceFill.tooCloseWarn': { value: 0.8, note: 'face box width ÷ frame short side: whether the face still fits. A phone at 30 cm gives ~0.5 (portrait); tightly cropped clean uploads reach 0.77 (cdfmd portraits), so warn only above that (~20 cm).' },
  'framing.faceFill.tooCloseFail': { value: 0.95, note: 'the face is as wide as the picture: forehead, chin or cheeks are cut.' },
  'framing.spillMargin': { value: 0.05, note: 'a head box past both opposite frame edges by this share of its height is bigger than the picture: too close whatever the detector\'s (then unreliable) box size says.' },
  'framing.faceFill.tightWarn': { value: 0.68, note: 'tuned: with the head touching the top edge (framing.headroom.min) and reaching near the bottom (framing.chinRoom.max), a face this wide is already too close; clean tune portraits with that fill keep ≥ 0.08 of the frame above the head.' },
  'framing.headroom.min': { value: 0.05, note: 'space above the head (head box top ÷ frame height) below which the head touches the top edge.' },
  'framing.chinRoom.max': { value: 0.2, note: 'space below the head box as a share of frame height; with little headroom too, the head spans the frame (too close) rather than sitting high (off-centre).' },
  'framing.offset.warn': { value: 0.22, note: 'face centre distance from frame centre, as a share of the frame size.' },
  'framing.offset.fail': { value: 0.33, note: 'face in the outer third of the frame.' },
  'framing.cutoff.fail': { value: 0.08, note: 'share of the (forehead-to-chin enlarged) face box outside the frame.' },
  'resolution.ied.warn': { value: 30, note: 'inter-eye distance in captured pixels (file px ÷ any upscale factor found). Face-recognition crops (112 px) hold ~35 px between the eyes; below 30 the crop has to be enlarged. ISO/IEC 39794-5 asks ≥ 60 for enrolment (strict profile).' },
  'resolution.ied.fail': { value: 25, note: 'below this the face carries too few pixels to match an ID photo.' },
  'resolution.upscaleProminence': { value: 5, note: 'tuned: height of the interpolation-grid line in the residual spectrum over its neighbourhood median (upscale.ts). Tune half: 34 of 52 faces enlarged ≥ 2× exceed 5; no unscaled photo does (highest 4.9).' },
  'resolution.upscaleMaxDetail': { value: 6, note: 'tuned: an interpolation grid is believed only if the window has no more fine detail than an enlargement by its period allows (upscale.ts fineDetailRatio: lag-1 over lag-k second differences × k²). Synthetic enlarged uploads of both halves (tune and test, 2026-11-27, 57 found): 1.5–4.5; the bundled NASA astronaut portrait, never enlarged, has a 5.7 px periodic texture in its backdrop that read as a 5.7× upscale: 8.0.' },

  // --- video: how per-frame causes add up over a clip -----------------------------------------
  'video.cause.minFrameShare': { value: 0.3, note: 'a per-frame cause (too-dark, blur, …) is reported for a clip when it holds on at least this share of the analysed frames…' },
  'video.cause.minSeconds': { value: 1, note: '…or without a break for at least this many seconds (a liveness check needs about a second of usable frames per step).' },
  'video.noFace.minFrameShare': { value: 0.6, note: 'no face on at least this share of the analysed frames is reported as no-face for the clip; less is face-lost.' },
  'video.faceLost.warnSeconds': { value: 0.5, note: 'a stretch without a face this long (2–3 samples) makes face tracking restart in most liveness SDKs.' },
  'video.faceLost.failSeconds': { value: 1.5, note: 'face missing this long in total: the check cannot follow the person through the clip.' },
  // --- video: temporal causes -----------------------------------------------------------------
  'video.flicker.windowSeconds': { value: 2, note: 'flicker is judged in windows this long (hop half of it): 50–60 frames give a clean spectral line.' },
  'video.flicker.pulse.warn': { value: 0.012, note: 'whole-frame brightness oscillation at the aliased mains frequency, log-luma amplitude (≈ ±1.2 %: visible as a shimmer).' },
  'video.flicker.pulse.fail': { value: 0.03, note: 'brightness pumping that face-liveness colour/texture checks trip on.' },
  'video.flicker.band.warn': { value: 0.012, note: 'amplitude of bands whose phase turns at 100/120 Hz (log-luma): rolling bands of ±1.2 % are visible.' },
  'video.flicker.band.fail': { value: 0.03, note: 'clearly visible rolling bands.' },
  'video.flicker.staticBand.min': { value: 0.03, note: 'bands that stand still (light frequency a multiple of the frame rate): log-luma amplitude of the sinusoid in the window\'s smooth-pixel row profile, which reads ~0.5–0.8 of the true amplitude (the gate drops steep noisy pixels): ≈ ±4–6 % rows of light and dark, visible. Tune split (eval-video --split tune, 2026-11-26): mild bands measured 0.031–0.05, clean real clips ≤ 0.024.' },
  'video.flicker.staticBand.fail': { value: 0.08, note: 'strong standing bands (a fluorescent or cheap LED lamp read by a short exposure); face texture and colour checks trip on them.' },
  'video.flicker.staticBand.minPeriodicity': { value: 0.45, note: 'share of the window\'s smooth-pixel row-gradient profile that one sinusoid of 1.75–5 cycles per frame explains. Tune split: standing bands found 0.48–0.91, clean real clips ≤ 0.43 (the frame-filling face of rohintangirala), tune-half photos animated into clips: close-up faces up to 0.68.' },
  'video.flicker.staticBand.minConsistency': { value: 0.8, note: 'agreement of that sinusoid across four vertical strips (1 = same phase in each); a striped object covering part of the width does not reach it. Tune split: standing bands 0.81–1, clean real clips reaching the other two limits 0.72 and below.' },
  'video.flicker.minProminence': { value: 25, note: 'peak power ÷ median power at off-mains frequencies; noise alone reaches ~6 in a 2 s window.' },
  'video.flicker.minConsistency': { value: 0.7, note: 'rolling bands must point the same way in the frame cells (lights band the whole frame; a moving person does not).' },
  'video.shake.jitter.warn': { value: 0.0015, note: 'tremor-band camera motion as an equivalent 6 Hz displacement amplitude, share of the frame long side (≈ 1 px at 640 px), RMS over 1 s. Tripod and desk clips stay below 0.0002, a hand-held phone selfie reaches 0.0026, a deliberate fast tilt 0.0012.' },
  'video.shake.jitter.fail': { value: 0.006, note: 'shake that smears the face across frames (≈ 4 px at 640 px).' },
  'video.shake.highPassSeconds': { value: 0.2, note: 'camera velocity is averaged over this window and removed: pans and tilts change speed more slowly than this; tremor (4–12 Hz) reverses within it.' },
  'video.shake.minSeconds': { value: 1, note: 'shake must last this long to be reported.' },
  'video.speed.warn': { value: 1.2, note: 'face centre speed in face widths per second; a deliberate head turn moves ~0.5.' },
  'video.speed.fail': { value: 2.5, note: 'the face crosses its own width in 0.4 s: trackers lose it and frames blur.' },
  'video.speed.minSeconds': { value: 0.4, note: 'fast movement must last this long (two sample intervals at 5 fps).' },
  'video.frozen.repeatDiff': { value: 0.08, note: 'mean absolute luma difference (0–255) to the previous frame below which a frame is a repeat; live sensors give ≥ 0.1 even on a tripod.' },
  'video.frozen.stallSeconds': { value: 0.25, note: 'the picture not changing for this long is a freeze (a stutter viewers notice; liveness motion checks fail).' },
  'video.frozen.failSeconds': { value: 1, note: 'frozen this long in total: the clip looks like a still or a replayed stream.' },
  'video.frozen.gapFactor': { value: 1.8, note: 'a frame interval this many times the typical one is a dropped frame.' },
  'video.frozen.droppedShare.warn': { value: 0.1, note: 'share of intervals with dropped frames: an unstable capture or network.' },
  'video.duration.warn': { value: 2, note: 'seconds; liveness checks need about 2 s for one action plus settling.' },
  'video.duration.fail': { value: 1, note: 'seconds; too short to judge anything over time.' },
  // --- liveness actions (--expect) ------------------------------------------------------------
  'action.turnHead.minYaw': { value: 0.12, note: 'nose offset from the ear midpoint ÷ ear-to-ear width, away from the clip median; ~0.12 is a 20–25° turn.' },
  'action.blink.closedRatio': { value: 0.65, note: 'eye opening (eyelid gap ÷ eye width) below this share of the clip\'s open-eye level (80th percentile) counts as closed.' },
  'action.blink.minSampleFps': { value: 10, note: 'frames per second sampled when a blink is expected: a blink closes the eyes for ~100–150 ms.' },
  'action.openMouth.minRatio': { value: 0.3, note: 'inner-lip gap ÷ mouth width at or above this is an open mouth (closed ≈ 0–0.1).' },
  // --- obstructions and face state (src/analyzers/obstructions; figures in docs/ACCURACY-OBSTRUCTIONS.md)
  'pose.minMeshScore': { value: 0.5, note: 'face-mesh presence score (sigmoid) below which the landmarks are not trusted: glare, eyes, mouth and pose then stay quiet (the obstruction classifiers take the score as an input instead: masks lower it).' },
  'mask.score.warn': { value: 0.399, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 1% false alarms on clean (nested CV: recall 98.6%, clean 1.7%); the same pick as fail, so a mask found is a fail.' },
  'mask.score.fail': { value: 0.399, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 1% false alarms on clean.' },
  'sunglasses.score.warn': { value: 0.253, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 4% false alarms on clean and ≤ 1.5% on clear eyeglasses (nested CV: recall 96.6%, eyeglasses 0%).' },
  'sunglasses.score.fail': { value: 0.263, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 1% false alarms on clean and eyeglasses.' },
  'bangs.score.warn': { value: 0.503, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 4% false alarms on clean (nested CV: recall 92%, clean 2.2%).' },
  'bangs.score.fail': { value: 0.585, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 1% false alarms on clean.' },
  'bangs.browsVisibleShare': { value: 0.5, note: 'share of skin-coloured samples in the strip just above both brows (0.02–0.10 eye spans up) at or above which the brows count as uncovered and bangs stays quiet: the classifier learnt CelebA "Bangs" (any fringe), the cause is hair over the brows or eyes. Half the strip: clean faces median 0.57, CelebA Bangs median 0.39; the astronaut fixture (fringe stopping above the brows) 0.60–0.66.' },
  'bangs.browsMinEyeSpanPx': { value: 40, note: 'outer-eye-corner distance (working pixels) from which the brow strip (a tenth of it tall) is resolved well enough to veto bangs; below it (CelebA faces: 24–31 px) the classifier alone decides.' },
  'obstruction.maxOutsideShare': { value: 0.25, note: 'mask and headwear stay quiet when more than this share of their region (lower face; head above the brows) lies outside the image: the crop there is black fill, which reads as a dark hat or covering.' },
  'obstruction.maxFaceClipShare': { value: 0.3, note: 'next to a too-bright finding, a face with at least this share of its pixels clipped to white is not judged for any obstruction. ../shared/data (2026-11-27): the masks found next to too-bright have at most 0.12 clipped (a white mask is not clipped); masks, bangs and hats "found" on overexposed unobstructed faces (synthetic tune and test halves, one real clean photo) had 0.3–0.77.' },
  'headwear.score.warn': { value: 0.397, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 4% false alarms on clean (nested CV: recall 92% on hats, clean 2.8%).' },
  'headwear.score.fail': { value: 0.681, note: 'trained (tools/train-obstructions.ts): logistic probability; picked on out-of-fold scores of ../shared/data at ≤ 1% false alarms on clean.' },
  'glare.lensSpecular.warn': { value: 0.05, note: 'share of near-white, colourless pixels over the lens areas (eye contour ×1.8) minus that share on the cheeks, on the 128-px face crop: highest on ../shared/data clean 0.018, eyeglasses 0.015; reflective sunglasses reach 0.1–0.18.' },
  'glare.lensSpecular.fail': { value: 0.15, note: 'highlights over about a sixth of the lens area: the eyes behind them are mostly hidden.' },
  'eyes.irisGate': { value: 0.25, note: 'the Iris lid contour (4 ms) is measured only when the face mesh reads the more open eye below this: mesh lids read ~0.3 open but only ~0.2 closed, so above 0.25 the eyes are open.' },
  'eyes.opening.warn': { value: 0.13, note: 'lid gap ÷ eye width of the more open eye, from the Iris eye contour: open eyes read 0.25–0.4, a blink 0.09–0.17 (fellway blink clip); the lowest on ../shared/data clean is 0.15 (a squinting smile), and files below 0.13 show eyes shut or nearly shut by a laugh.' },
  'eyes.opening.fail': { value: 0.1, note: 'lids together.' },
  'mouth.opening.warn': { value: 0.4, note: 'inner-lip gap ÷ inner mouth width; a broad smile showing teeth reaches 0.35 (highest on ../shared/data clean 0.355), talking 0.1–0.3.' },
  'mouth.opening.fail': { value: 0.55, note: 'mouth wide open (yawning, shouting).' },
  'pose.yaw.warn': { value: 30, note: 'degrees from the face mesh (face-state.ts); face matchers lose accuracy past ~30° of turn. About 5% of ../shared/data clean photos (mostly CelebA three-quarter portraits) are beyond it.' },
  'pose.yaw.fail': { value: 45, note: 'half profile: one eye is close to hidden.' },
  'pose.pitch.warn': { value: 25, note: 'degrees, corrected by the mesh\'s neutral −7.5°; 99% of ../shared/data clean photos are within 18°.' },
  'pose.pitch.fail': { value: 35, note: 'looking far up or down: forehead or chin foreshortened.' },
  'pose.roll.warn': { value: 15, note: 'degrees of head tilt; matchers align roll away, but beyond this the capture looks careless (rotated copies in the CDFMD clean set reach 20–37°).' },
  'pose.roll.fail': { value: 25, note: 'strongly tilted head.' },
} satisfies Record<string, Threshold>;

export type ThresholdKey = keyof typeof KYC_SELFIE;

export const BUILTIN_PROFILES: Record<string, ProfileSpec> = {
  'kyc-selfie': {
    description: 'Default: a phone or webcam selfie for an identity check, judged as a typical KYC vendor would.',
    thresholds: KYC_SELFIE,
  },
  strict: {
    extends: 'kyc-selfie',
    description: 'Enrolment-grade (closer to ISO/IEC 29794-5 / ICAO): tighter lighting, framing and resolution limits.',
    thresholds: {
      'uneven.ratio.warn': { value: 1.75, note: 'stricter uniformity for enrolment photos (0.8 stop between the halves).' },
      'uneven.ratio.fail': { value: 2.6, note: 'stricter uniformity for enrolment photos.' },
      'resolution.ied.warn': { value: 90, note: 'ICAO recommends ≥ 90 px between the eyes.' },
      'resolution.ied.fail': { value: 60, note: 'ISO/IEC 39794-5 minimum of 60 px.' },
      'framing.offset.warn': { value: 0.12, note: 'enrolment photos are centred.' },
      'framing.offset.fail': { value: 0.2, note: 'enrolment photos are centred.' },
      'pose.yaw.warn': { value: 5, note: 'ISO/IEC 39794-5 / ICAO frontal pose: within ±5° of yaw, pitch and roll.' },
      'pose.yaw.fail': { value: 8, note: 'ISO/IEC 29794-5 style hard limit for enrolment photos.' },
      'pose.pitch.warn': { value: 5, note: 'ISO/IEC 39794-5 / ICAO frontal pose.' },
      'pose.pitch.fail': { value: 8, note: 'ISO/IEC 29794-5 style hard limit.' },
      'pose.roll.warn': { value: 5, note: 'ISO/IEC 39794-5 / ICAO: head upright.' },
      'pose.roll.fail': { value: 8, note: 'ISO/IEC 29794-5 style hard limit.' },
      'mouth.opening.warn': { value: 0.15, note: 'ICAO neutral expression: mouth closed (lips touching read 0–0.1).' },
      'mouth.opening.fail': { value: 0.3, note: 'mouth clearly open.' },
    },
  },
};
