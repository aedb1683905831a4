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
  'faces.otherMinScore': { value: 0.75, note: 'another person needs this BlazeFace score. tuned: pasted second people score ≥ 0.75 in 90 of 93 tune images, while spurious second boxes on blurred, upscaled or frame-filling single faces stay below 0.75 (0 of 480 tune images with one person).' },
  'faces.sameHeadOverlap': { value: 0.3, note: 'a detection with this share of its box inside the subject\'s head box (face box grown for hair and chin) is a duplicate of the same head, not a second person.' },

  // --- exposure -------------------------------------------------------------------------------
  'dark.faceP90.warn': { value: 85, note: 'tuned: 90th percentile of face luma; a lit face of any skin tone has highlights above this.' },
  'dark.faceP90.fail': { value: 55, note: 'tuned: below this even the brightest parts of the face carry little detail.' },
  'dark.frameP99.warn': { value: 150, note: 'tuned: if anything in the scene is brighter than this, the camera was not starved of light; used to spare dark skin in a lit room.' },
  'dark.frameP99.fail': { value: 90, note: 'tuned: the whole scene is dark (no light source, no bright wall).' },
  'bright.faceClipShare.warn': { value: 0.5, note: 'share of skin-area pixels at luma ≥ 250. Pale skin in bright light clips the cheeks and forehead (up to ~0.45 seen on clean webcam frames) while the features survive, so clipping alone only counts when most of the face is gone.' },
  'bright.faceClipShare.fail': { value: 0.7, note: 'most of the face burnt out.' },
  'bright.faceP10.warn': { value: 185, note: 'tuned: even the darkest tenth of the face (eyes, brows, nostrils) is this bright — the features are washing out. Clean pale faces stay below ~170.' },
  'bright.faceP10.fail': { value: 210, note: 'tuned: features nearly gone.' },

  // --- lighting geometry ----------------------------------------------------------------------
  'backlit.ratio.warn': { value: 3.2, note: 'tuned: background median ÷ face 90th percentile. Clean office webcam frames with a bright wall reach ~3.0.' },
  'backlit.ratio.fail': { value: 4.5, note: 'tuned: a window or lamp behind the person, face in silhouette.' },
  'backlit.minBackgroundP50': { value: 150, note: 'the background must itself be bright; dark skin against a grey wall is not backlight.' },
  'uneven.ratio.warn': { value: 1.9, note: 'ISO/IEC 29794-5 illumination-uniformity idea: brighter ÷ darker half of the face (medians), split at the eye midpoint. Clean photos stay below ~1.7 (95th percentile).' },
  'uneven.ratio.fail': { value: 2.5, note: 'tuned: one side of the face in shadow.' },
  'flicker.amplitude.warn': { value: 0.025, note: 'tuned: amplitude of the coherent horizontal banding as a fraction of brightness (log-luma).' },
  'flicker.amplitude.fail': { value: 0.05, note: 'tuned: bands clearly visible by eye.' },
  'flicker.minCoherence': { value: 0.8, note: 'share of the 6 vertical strips that must carry the bands in phase (5 of 6): lights band the whole width, a striped flag or blind does not.' },
  'flicker.minProminence': { value: 4, note: 'peak power ÷ median power of the row spectrum: a single periodic component, not texture.' },

  // --- sharpness and noise --------------------------------------------------------------------
  'blur.canonicalSize': { value: 32, note: 'side in px of the inner-face crop (eyes to mouth, 1.6× the eye distance) on which blur is measured: ~20 px between the eyes, so a CelebA-size face (≈20 px) is at its native scale and every larger face is judged at the same relative scale.' },
  'blur.score.warn': { value: 0.6, note: 'tuned: blur-model probability (src/analyzers/blur-model.ts, fitted by tools/train-blur.ts on the tune half); at 0.6 no tune clean photo is flagged and 92 of 96 tune blurs are (test half: 80/84).' },
  'blur.score.fail': { value: 0.9, note: 'tuned: ~80 % of tune blurs score above this (radius ≥ ~4 % of the face width); clean photos stay below 0.6.' },
  'blur.motionDirectionality': { value: 0.6, note: 'tuned: share of the detail loss that runs along one direction (cos 2φ amplitude of the per-direction two-octave loss ÷ mean loss). Tune half: lens blurs 0.16–0.5 (median 0.36), straight shakes 0.44–3 (median 0.9); at 0.6 83 % of each are named right.' },
  'blur.minFacePx': { value: 32, note: 'inner-face side in working px (≈ 20 px between the eyes) below which blur is not judged: the crop would have to be enlarged, which blurs it; such faces are reported as low-resolution instead. Also the smallest region noise is read from.' },
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
  'video.flicker.staticBand.min': { value: 0.06, note: 'bands that do not move (light frequency a multiple of the frame rate) are judged on single frames, where scene structure reaches 0.25: only strong, fully consistent bands count.' },
  'video.flicker.staticBand.minConsistency': { value: 0.92, note: 'share of the frame cells that must agree on static bands; clean clips stay below ~0.8.' },
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
      'uneven.ratio.warn': { value: 1.35, note: 'stricter uniformity for enrolment photos.' },
      'uneven.ratio.fail': { value: 1.7, note: 'stricter uniformity for enrolment photos.' },
      'resolution.ied.warn': { value: 90, note: 'ICAO recommends ≥ 90 px between the eyes.' },
      'resolution.ied.fail': { value: 60, note: 'ISO/IEC 39794-5 minimum of 60 px.' },
      'framing.offset.warn': { value: 0.12, note: 'enrolment photos are centred.' },
      'framing.offset.fail': { value: 0.2, note: 'enrolment photos are centred.' },
    },
  },
};
