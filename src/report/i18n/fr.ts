// Textes d'aide en français (vouvoiement). Typographie : espace insécable avant « : ; ? ! ».
import type { CauseCode } from '../codes.js';
import type { CauseText, UiText } from './types.js';

export const causes: Record<CauseCode, CauseText> = {
  'no-face': {
    title: 'Aucun visage détecté',
    why: "Le système doit d'abord trouver votre visage pour le comparer à votre pièce d'identité, et il n'en a trouvé aucun sur cette capture.",
    steps: [
      'Utilisez la caméra frontale et vérifiez que tout votre visage est dans le cadre.',
      "Éclairez votre visage de face pour qu'il se détache bien du fond.",
      'Retirez tout ce qui cache votre visage, comme un masque, un chapeau ou des lunettes de soleil.',
    ],
  },
  'multiple-faces': {
    title: 'Plusieurs visages',
    why: "Quand plusieurs visages sont visibles, le système ne sait pas lequel comparer à votre pièce d'identité et rejette la capture.",
    steps: [
      "Assurez-vous que personne d'autre n'apparaît dans le cadre.",
      'Demandez aux personnes derrière vous de sortir du champ.',
      'Éloignez-vous des photos, affiches ou écrans qui montrent des visages.',
    ],
  },
  'too-dark': {
    title: 'Visage trop sombre',
    why: "Dans la pénombre, les traits du visage perdent leurs détails et ne peuvent pas être comparés de façon fiable à la photo de votre pièce d'identité.",
    steps: [
      'Placez-vous face à une fenêtre\u00a0: la lumière du jour est idéale.',
      "Si c'est encore trop sombre, ajoutez une lampe devant vous, sans qu'elle soit trop forte.",
      'Ne comptez pas uniquement sur le plafonnier, qui crée des ombres autour des yeux.',
    ],
  },
  'too-bright': {
    title: 'Visage trop éclairé',
    why: "Une lumière trop forte surexpose la peau et les traits, et le système n'a plus assez de détails pour comparer.",
    steps: [
      'Sortez de la lumière directe du soleil.',
      'Éteignez ou éloignez toute lampe braquée sur votre visage.',
      'Placez-vous plutôt face à une fenêtre, sous une lumière du jour douce.',
    ],
  },
  backlit: {
    title: 'Contre-jour',
    why: "Avec une fenêtre ou une lampe lumineuse derrière vous, la caméra s'adapte au fond et votre visage reste dans l'ombre.",
    steps: [
      'Ne vous asseyez pas dos à une fenêtre ou à une lampe.',
      'Tournez-vous pour avoir la fenêtre devant vous.',
      'Si vous ne pouvez pas bouger, fermez les rideaux ou éteignez la lampe derrière vous.',
    ],
  },
  'uneven-lighting': {
    title: 'Éclairage inégal du visage',
    why: "Quand un côté du visage est bien plus sombre que l'autre, les ombres masquent vos traits et votre visage peut paraître différent de celui de votre photo d'identité.",
    steps: [
      'Placez-vous bien face à la source de lumière pour que les deux côtés du visage soient éclairés de la même façon.',
      'Évitez les plafonniers, qui projettent des ombres.',
      'Si un côté reste plus sombre, ajoutez une lampe devant vous.',
    ],
  },
  flicker: {
    title: 'Lumière qui scintille',
    why: "Certaines lampes LED ou fluorescentes branchées sur le secteur clignotent trop vite pour l'œil, et ces variations de luminosité d'une image à l'autre perturbent la détection du vivant.",
    steps: [
      'Passez à la lumière du jour\u00a0: placez-vous face à une fenêtre et éteignez la lampe qui scintille.',
      "Si vous avez besoin d'un éclairage, utilisez une autre lampe ou une autre ampoule.",
    ],
  },
  blur: {
    title: 'Image floue',
    why: "Le flou efface les petits détails du visage que le système compare à votre pièce d'identité.",
    steps: [
      "Essuyez l'objectif de la caméra avec un chiffon doux.",
      'Tenez le téléphone immobile ou posez-le sur un support stable.',
      'Attendez un instant que la caméra fasse la mise au point avant la capture.',
      'Ajoutez de la lumière\u00a0: dans la pénombre, les photos sont plus souvent floues.',
    ],
  },
  noise: {
    title: 'Image granuleuse',
    why: 'En faible lumière, la caméra produit du grain (bruit) qui masque les détails fins du visage.',
    steps: [
      "Ajoutez de la lumière\u00a0: c'est le moyen le plus efficace de réduire le grain.",
      "Nettoyez l'objectif de la caméra.",
      "Si possible, utilisez un appareil doté d'une meilleure caméra.",
    ],
  },
  'low-resolution': {
    title: 'Résolution trop faible',
    why: "Votre visage occupe trop peu de pixels pour offrir assez de détails à comparer avec votre pièce d'identité.",
    steps: [
      "Utilisez un appareil doté d'une meilleure caméra.",
      'Rapprochez-vous à 30–50 cm de la caméra pour que votre visage apparaisse plus grand.',
      "Envoyez la photo d'origine, et non une capture d'écran ou une copie compressée par une messagerie.",
    ],
  },
  'too-close': {
    title: 'Trop près de la caméra',
    why: "De trop près, l'objectif déforme les traits et une partie du visage peut sortir du cadre.",
    steps: [
      'Tenez la caméra à 30–50 cm de votre visage.',
      'Vérifiez que tout votre visage, du menton à la racine des cheveux, tient dans le cadre.',
    ],
  },
  'too-far': {
    title: 'Trop loin de la caméra',
    why: "De trop loin, votre visage n'occupe que quelques pixels, ce qui ne suffit pas pour le vérifier.",
    steps: [
      "Rapprochez-vous jusqu'à ce que la caméra soit à 30–50 cm de votre visage.",
      "Faites en sorte que votre visage remplisse le cadre ou l'ovale affiché à l'écran.",
    ],
  },
  'off-center': {
    title: 'Visage mal centré',
    why: "Près du bord de l'image, le visage peut être coupé ou déformé, et le système a du mal à le détecter.",
    steps: [
      'Centrez votre visage dans le cadre.',
      "Gardez tout le visage dans l'image, avec un peu de marge autour.",
      'Tenez le téléphone droit devant vous, à hauteur des yeux.',
    ],
  },
  'head-pose': {
    title: 'Tête tournée ou penchée',
    why: "La photo de votre pièce d'identité est prise de face, donc une tête tournée ou penchée rend la comparaison moins fiable.",
    steps: [
      'Regardez droit vers la caméra.',
      'Placez le téléphone à hauteur des yeux pour ne pas regarder vers le haut ou vers le bas.',
      'Gardez la tête droite, sans la pencher sur le côté.',
    ],
  },
  mask: {
    title: 'Visage couvert par un masque',
    why: "Un masque cache le nez, la bouche et le menton, dont le système a besoin pour vous comparer à votre pièce d'identité.",
    steps: [
      'Retirez votre masque pendant la capture.',
      "Vérifiez que rien d'autre ne couvre votre nez, votre bouche ou votre menton, comme une écharpe ou votre main.",
    ],
  },
  sunglasses: {
    title: 'Lunettes de soleil',
    why: "Les lunettes de soleil cachent vos yeux, l'un des éléments les plus importants pour comparer votre visage à votre pièce d'identité.",
    steps: [
      'Retirez vos lunettes de soleil, ainsi que les lunettes à verres teintés.',
      "Si vous portez des lunettes ordinaires sur la photo de votre pièce d'identité, vous pouvez les garder\u00a0; sinon, retirez-les aussi.",
    ],
  },
  bangs: {
    title: 'Cheveux devant les yeux',
    why: 'Des cheveux sur les yeux ou les sourcils cachent des traits que le système utilise pour la comparaison.',
    steps: [
      'Attachez ou écartez votre frange pour dégager les yeux et les sourcils.',
      'Placez les mèches libres derrière les oreilles pour que le contour du visage soit visible.',
    ],
  },
  headwear: {
    title: 'Chapeau ou couvre-chef',
    why: 'Un chapeau, une casquette ou une capuche projette des ombres et cache le front et le contour du visage.',
    steps: [
      'Retirez votre chapeau, votre casquette ou votre capuche.',
      'Si vous portez un couvre-chef pour des raisons religieuses, laissez tout le visage visible, du front au menton, et contactez le support pour un traitement particulier.',
    ],
  },
  'glasses-glare': {
    title: 'Reflets sur les lunettes',
    why: 'Les reflets sur les verres peuvent masquer vos yeux, essentiels pour comparer votre visage.',
    steps: [
      'Inclinez légèrement vos lunettes vers le bas pour que les reflets ne partent pas vers la caméra.',
      "Montez la lampe ou décalez-la sur le côté pour qu'elle n'éclaire pas les verres de face.",
      "Si les reflets persistent, retirez vos lunettes, surtout si vous ne les portez pas sur la photo de votre pièce d'identité.",
    ],
  },
  'eyes-closed': {
    title: 'Yeux fermés',
    why: "Le système doit voir vos yeux ouverts, à la fois pour la comparaison avec votre pièce d'identité et pour confirmer qu'une vraie personne est présente.",
    steps: [
      'Gardez les yeux ouverts et regardez la caméra.',
      'Si une lumière trop vive vous fait plisser les yeux, adoucissez-la ou éloignez-vous-en.',
      "Ne clignez des yeux que lorsque l'application vous le demande.",
    ],
  },
  'mouth-open': {
    title: 'Bouche ouverte',
    why: "Une bouche ouverte change la forme du visage, qui devient plus difficile à comparer à votre photo d'identité.",
    steps: [
      'Fermez la bouche et gardez une expression neutre.',
      'Ne parlez pas pendant la capture.',
      "N'ouvrez la bouche que lorsque l'application vous le demande.",
    ],
  },
  shaking: {
    title: 'Caméra qui bouge',
    why: "Quand la caméra tremble, les images sont floues et votre visage saute d'une position à l'autre, si bien que le système ne peut pas le suivre correctement.",
    steps: [
      'Tenez le téléphone à deux mains, sans bouger.',
      'Mieux encore, posez-le sur une table ou sur une pile de livres.',
      "Ne bougez pas vous-même jusqu'à la fin de la capture.",
    ],
  },
  'moving-too-fast': {
    title: 'Mouvements trop rapides',
    why: 'Des mouvements rapides rendent la vidéo floue, et la caméra peut manquer certaines étapes de la vérification.',
    steps: [
      'Suivez les consignes à un rythme naturel et régulier.',
      'Attendez la fin de chaque consigne avant de passer à la suivante.',
      'Marquez une courte pause après chaque mouvement.',
    ],
  },
  'face-lost': {
    title: 'Visage sorti du cadre',
    why: "Si votre visage sort du cadre ou si la vidéo se coupe en cours de vérification, le système ne peut pas confirmer qu'il s'agit de la même personne du début à la fin.",
    steps: [
      "Gardez tout votre visage dans le cadre pendant tout l'enregistrement.",
      'Ne tournez pas la tête au point que la caméra vous perde de vue.',
      "Utilisez une connexion stable et l'application mobile plutôt que le site web.",
    ],
  },
  'frozen-video': {
    title: 'Vidéo figée',
    why: 'Des images figées ou perdues interrompent la vidéo continue dont la détection du vivant a besoin pour confirmer votre présence.',
    steps: [
      'Passez sur une connexion stable, par exemple un bon Wi-Fi.',
      "Utilisez l'application mobile plutôt que le site web.",
      'Fermez les autres applications qui utilisent la caméra ou le réseau, puis réessayez.',
    ],
  },
  'too-short': {
    title: 'Enregistrement trop court',
    why: "La vidéo s'est arrêtée avant que la vérification ait assez d'images pour confirmer que vous êtes une vraie personne.",
    steps: [
      "Continuez l'enregistrement jusqu'à ce que l'écran indique qu'il est terminé.",
      "Ne changez pas d'application et ne verrouillez pas l'écran pendant l'enregistrement.",
    ],
  },
  'action-missing': {
    title: 'Action demandée non détectée',
    why: "La détection du vivant demande des gestes comme cligner des yeux pour vérifier qu'une vraie personne est présente, et elle n'a pas vu celui qu'elle demandait.",
    steps: [
      "Lisez bien la consigne et faites exactement ce qu'elle demande\u00a0: cligner des yeux, ouvrir la bouche ou tourner la tête.",
      'Faites le mouvement de façon nette et franche, pas trop discrète.',
      'Gardez le visage dans le cadre pendant le mouvement.',
    ],
  },
};

export const escalation: string[] = [
  'Après plusieurs échecs, attendez un moment avant de réessayer.',
  "Essayez avec un autre document, par exemple votre passeport au lieu de votre carte d'identité.",
  'Contactez le support et demandez une vérification manuelle.',
];

export const ui: UiText = {
  verdict: { pass: 'Réussi', warn: 'Avertissement', fail: 'Échec', error: 'Erreur' },
  category: {
    face: 'Visage',
    lighting: 'Éclairage',
    obstruction: 'Obstruction',
    framing: 'Cadrage',
    device: 'Caméra',
    motion: 'Mouvement',
    liveness: 'Détection du vivant',
  },
  whatToDo: 'Que faire',
  why: 'Pourquoi',
  measured: 'mesuré',
  limit: 'seuil',
  withinLimit: 'seuil respecté',
  conditionMet: 'condition remplie',
  notJudged: 'Non évalué sur cette photo',
  fixFirst: 'à corriger d\'abord',
  confidence: 'confiance',
  noProblems: 'Aucun problème détecté',
  couldNotAnalyze: 'Analyse impossible',
  ifKeepsFailing: "Si l'échec persiste",
  faces: 'visages',
  yes: 'oui',
  no: 'non',
  summary: 'Résumé',
  total: 'Total',
  topCauses: 'Causes les plus fréquentes',
  slowest: 'Fichiers les plus lents',
  errors: 'Erreurs',
  when: 'Moment',
  seconds: 's',
  frameShare: 'part des images',
  worstFrameAt: 'pire image à',
  report: {
    title: 'Rapport de captures du visage',
    generated: 'Généré le',
    byVerdict: 'Par verdict',
    byCause: 'Par cause',
    filterHint: 'Cliquez sur un verdict ou une cause pour filtrer les fichiers.',
    search: 'Rechercher un nom de fichier',
    shown: 'Affichés',
    noMatch: 'Aucun fichier ne correspond aux filtres.',
    clearFilters: 'Effacer les filtres',
    noPreview: 'Aperçu indisponible',
    detectedFace: 'Visage détecté',
    problemArea: 'Zone du problème',
    timeline: 'Chronologie',
    worstFrames: 'Pires images',
    duration: 'Durée',
    elapsed: 'Temps d’analyse',
    closeUp: 'Gros plan du visage',
  },
};
