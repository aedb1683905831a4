// Textos de ayuda en español. Tuteo y vocabulario neutro (válido en España y Latinoamérica).
import type { CauseCode } from '../codes.js';
import type { CauseText, UiText } from './types.js';

export const causes: Record<CauseCode, CauseText> = {
  'no-face': {
    title: 'No se detecta ningún rostro',
    why: 'El sistema tiene que encontrar tu cara antes de compararla con tu documento, y en esta captura no encontró ninguna.',
    steps: [
      'Usa la cámara frontal y asegúrate de que toda tu cara quede dentro del encuadre.',
      'Ilumina tu cara de frente para que destaque sobre el fondo.',
      'Quítate lo que te tape la cara, como mascarilla, gorra o gafas de sol.',
    ],
  },
  'multiple-faces': {
    title: 'Hay más de un rostro',
    why: 'Si se ve más de una cara, el sistema no sabe cuál comparar con tu documento y rechaza la captura.',
    steps: [
      'Asegúrate de que solo aparezcas tú en la imagen.',
      'Pide a quien esté detrás de ti que se aparte.',
      'Aléjate de fotos, carteles o pantallas en los que se vean caras.',
    ],
  },
  'too-dark': {
    title: 'Rostro demasiado oscuro',
    why: 'Con poca luz los rasgos de la cara pierden detalle y no se pueden comparar bien con la foto de tu documento.',
    steps: [
      'Siéntate frente a una ventana: la luz natural es la mejor.',
      'Si sigue oscuro, pon una lámpara delante de ti, sin que sea demasiado intensa.',
      'No dependas solo de la luz del techo, porque deja sombras sobre los ojos.',
    ],
  },
  'too-bright': {
    title: 'Rostro demasiado iluminado',
    why: 'El exceso de luz deja la piel y los rasgos casi blancos, y el sistema se queda sin detalle suficiente para comparar.',
    steps: [
      'Apártate de la luz directa del sol.',
      'Apaga o aleja cualquier lámpara que te apunte directamente a la cara.',
      'Colócate frente a una ventana con luz natural suave.',
    ],
  },
  backlit: {
    title: 'Contraluz',
    why: 'Con una ventana o una lámpara brillante detrás, la cámara se ajusta al fondo y tu cara queda en sombra.',
    steps: [
      'No te sientes de espaldas a una ventana o una lámpara.',
      'Gírate para que la ventana quede delante de ti.',
      'Si no puedes moverte, cierra las cortinas o apaga la lámpara que tienes detrás.',
    ],
  },
  'uneven-lighting': {
    title: 'Iluminación desigual en el rostro',
    why: 'Si un lado de la cara está mucho más oscuro que el otro, las sombras ocultan rasgos y tu cara puede verse distinta a la de la foto de tu documento.',
    steps: [
      'Ponte de frente a la fuente de luz para que los dos lados de la cara queden igual de iluminados.',
      'Evita las luces de techo que proyectan sombras.',
      'Si un lado sigue más oscuro, añade una lámpara delante de ti.',
    ],
  },
  flicker: {
    title: 'Luz parpadeante',
    why: 'Algunas luces LED y fluorescentes conectadas a la red eléctrica parpadean más rápido de lo que el ojo percibe, y ese cambio de brillo entre fotogramas interfiere con la prueba de vida.',
    steps: [
      'Cambia a luz natural: ponte frente a una ventana y apaga la luz que parpadea.',
      'Si necesitas luz artificial, usa otra lámpara u otra bombilla.',
    ],
  },
  blur: {
    title: 'Imagen borrosa',
    why: 'Una imagen borrosa difumina los pequeños detalles de tu cara que el sistema compara con tu documento.',
    steps: [
      'Limpia la lente de la cámara con un paño suave.',
      'Sujeta el teléfono sin moverlo o apóyalo en algo estable.',
      'Espera un momento a que la cámara enfoque antes de hacer la captura.',
      'Añade más luz: con poca luz las fotos salen movidas con más facilidad.',
    ],
  },
  noise: {
    title: 'Imagen con grano',
    why: 'Con poca luz la cámara genera grano (ruido) que tapa los detalles finos de la cara.',
    steps: [
      'Añade más luz: es la forma más eficaz de reducir el grano.',
      'Limpia la lente de la cámara.',
      'Si puedes, usa un dispositivo con mejor cámara.',
    ],
  },
  'low-resolution': {
    title: 'Resolución demasiado baja',
    why: 'Tu cara ocupa tan pocos píxeles que no hay detalle suficiente para compararla con tu documento.',
    steps: [
      'Usa un dispositivo con mejor cámara.',
      'Acércate a unos 30–50 cm de la cámara para que tu cara se vea más grande.',
      'Sube la foto original, no una captura de pantalla ni una copia comprimida por una app de mensajería.',
    ],
  },
  'too-close': {
    title: 'Demasiado cerca de la cámara',
    why: 'Tan de cerca, la lente deforma los rasgos y parte de la cara puede quedar fuera de la imagen.',
    steps: [
      'Mantén la cámara a 30–50 cm de tu cara.',
      'Comprueba que toda tu cara, de la barbilla al nacimiento del pelo, cabe en el encuadre.',
    ],
  },
  'too-far': {
    title: 'Demasiado lejos de la cámara',
    why: 'Desde lejos tu cara ocupa muy pocos píxeles y no hay detalle suficiente para verificarla.',
    steps: [
      'Acércate hasta que la cámara quede a 30–50 cm de tu cara.',
      'Haz que tu cara llene el marco u óvalo que aparece en pantalla.',
    ],
  },
  'off-center': {
    title: 'Rostro no centrado',
    why: 'Si tu cara está cerca del borde, puede quedar cortada o deformada y el sistema no la detecta bien.',
    steps: [
      'Centra tu cara en el encuadre.',
      'Deja toda la cara dentro de la imagen, con un poco de margen alrededor.',
      'Sostén el teléfono justo delante de ti, a la altura de los ojos.',
    ],
  },
  'head-pose': {
    title: 'Cabeza girada o inclinada',
    why: 'La foto de tu documento está tomada de frente, así que si giras o inclinas la cabeza la comparación es menos fiable.',
    steps: [
      'Mira directamente a la cámara.',
      'Pon el teléfono a la altura de los ojos para no mirar hacia arriba ni hacia abajo.',
      'Mantén la cabeza recta, sin inclinarla hacia un lado.',
    ],
  },
  mask: {
    title: 'Mascarilla en la cara',
    why: 'La mascarilla tapa la nariz, la boca y la barbilla, que el sistema necesita para compararte con tu documento.',
    steps: [
      'Quítate la mascarilla durante la captura.',
      'Comprueba que nada más te tape la nariz, la boca o la barbilla, como una bufanda o la mano.',
    ],
  },
  sunglasses: {
    title: 'Gafas de sol puestas',
    why: 'Las gafas de sol ocultan los ojos, uno de los rasgos más importantes para comparar tu cara con tu documento.',
    steps: [
      'Quítate las gafas de sol, y también las gafas con cristales tintados.',
      'Si en la foto de tu documento llevas gafas normales, puedes dejártelas; si no, quítatelas también.',
    ],
  },
  bangs: {
    title: 'Pelo sobre los ojos',
    why: 'Si el pelo te tapa los ojos o las cejas, el sistema no ve rasgos que usa para compararte con tu documento.',
    steps: [
      'Sujeta o aparta el flequillo para que se vean los ojos y las cejas.',
      'Pon el pelo suelto detrás de las orejas para que se vea el contorno de la cara.',
    ],
  },
  headwear: {
    title: 'Gorro o prenda en la cabeza',
    why: 'Un sombrero, una gorra o una capucha proyectan sombras y ocultan la frente y el contorno de la cara.',
    steps: [
      'Quítate el sombrero, la gorra o la capucha.',
      'Si llevas la cabeza cubierta por motivos religiosos, deja toda la cara visible, de la frente a la barbilla, y contacta con soporte para que revisen tu caso de forma especial.',
    ],
  },
  'glasses-glare': {
    title: 'Reflejos en las gafas',
    why: 'Los reflejos en los cristales pueden taparte los ojos, que son clave para comparar tu cara.',
    steps: [
      'Inclina un poco las gafas hacia abajo para que el reflejo no vaya hacia la cámara.',
      'Sube la lámpara o muévela hacia un lado para que no dé de frente en los cristales.',
      'Si el reflejo continúa, quítate las gafas, sobre todo si no las llevas en la foto de tu documento.',
    ],
  },
  'eyes-closed': {
    title: 'Ojos cerrados',
    why: 'El sistema necesita ver tus ojos abiertos, tanto para compararte con tu documento como para confirmar que hay una persona real.',
    steps: [
      'Abre los ojos y mira a la cámara.',
      'Si la luz te deslumbra y entrecierras los ojos, suavízala o aléjate de ella.',
      'Parpadea solo cuando la app te lo pida.',
    ],
  },
  'mouth-open': {
    title: 'Boca abierta',
    why: 'Con la boca abierta cambia la forma de la cara y cuesta más compararla con la foto de tu documento.',
    steps: [
      'Cierra la boca y mantén una expresión neutra.',
      'No hables durante la captura.',
      'Abre la boca solo cuando la app te lo pida.',
    ],
  },
  shaking: {
    title: 'Cámara temblorosa',
    why: 'Si la cámara tiembla, las imágenes salen movidas y tu cara salta de un lado a otro, así que el sistema no puede seguirla bien.',
    steps: [
      'Sujeta el teléfono con las dos manos y mantenlo firme.',
      'Mejor aún, apóyalo en una mesa o sobre una pila de libros.',
      'No te muevas hasta que termine la captura.',
    ],
  },
  'moving-too-fast': {
    title: 'Movimientos demasiado rápidos',
    why: 'Si te mueves rápido, el video sale borroso y la cámara puede perderse algún paso de la verificación.',
    steps: [
      'Sigue las indicaciones a una velocidad natural y constante.',
      'Espera a que termine cada indicación antes de empezar la siguiente.',
      'Haz una breve pausa después de cada movimiento.',
    ],
  },
  'face-lost': {
    title: 'El rostro salió del encuadre',
    why: 'Si tu cara sale del encuadre o el video se corta a mitad de la verificación, el sistema no puede confirmar que eres la misma persona real de principio a fin.',
    steps: [
      'Mantén toda la cara dentro del encuadre durante toda la grabación.',
      'No gires la cabeza tanto que la cámara te pierda.',
      'Usa una red estable y la app móvil en lugar de la página web.',
    ],
  },
  'frozen-video': {
    title: 'El video se congeló',
    why: 'Los fotogramas congelados o perdidos rompen la continuidad que la prueba de vida necesita para confirmar que de verdad estás ahí.',
    steps: [
      'Conéctate a una red estable, como una buena conexión wifi.',
      'Usa la app móvil en lugar de la página web.',
      'Cierra otras apps que usen la cámara o la red y vuelve a intentarlo.',
    ],
  },
  'too-short': {
    title: 'Grabación demasiado corta',
    why: 'El video se detuvo antes de que la verificación tuviera imágenes suficientes para confirmar que eres una persona real.',
    steps: [
      'Sigue grabando hasta que el mensaje en pantalla indique que ha terminado.',
      'No cambies de app ni bloquees la pantalla mientras grabas.',
    ],
  },
  'action-missing': {
    title: 'No se detectó la acción pedida',
    why: 'La prueba de vida pide gestos como parpadear para comprobar que hay una persona real, y no detectó el que te pidió.',
    steps: [
      'Fíjate en la indicación y haz exactamente lo que pide: parpadear, abrir la boca o girar la cabeza.',
      'Haz el movimiento de forma clara y marcada, no demasiado sutil.',
      'Mantén la cara dentro del encuadre mientras lo haces.',
    ],
  },
};

export const escalation: string[] = [
  'Si ya ha fallado varias veces, espera un rato antes de volver a intentarlo.',
  'Prueba con otro documento, por ejemplo el pasaporte en lugar del documento de identidad.',
  'Contacta con soporte y pide una revisión manual.',
];

export const ui: UiText = {
  verdict: { pass: 'Aprobado', warn: 'Advertencia', fail: 'Rechazado', error: 'Error' },
  category: {
    face: 'Rostro',
    lighting: 'Iluminación',
    obstruction: 'Obstrucción',
    framing: 'Encuadre',
    device: 'Cámara',
    motion: 'Movimiento',
    liveness: 'Prueba de vida',
  },
  whatToDo: 'Qué hacer',
  why: 'Por qué',
  measured: 'medido',
  limit: 'límite',
  withinLimit: 'dentro del límite',
  conditionMet: 'condición cumplida',
  notJudged: 'No evaluado en esta foto',
  fixFirst: 'corregir primero',
  confidence: 'confianza',
  noProblems: 'No se encontraron problemas',
  couldNotAnalyze: 'No se pudo analizar',
  ifKeepsFailing: 'Si sigue fallando',
  faces: 'rostros',
  yes: 'sí',
  no: 'no',
  summary: 'Resumen',
  total: 'Total',
  topCauses: 'Causas más frecuentes',
  slowest: 'Archivos más lentos',
  errors: 'Errores',
  when: 'Cuándo',
  seconds: 's',
  frameShare: 'proporción de fotogramas',
  worstFrameAt: 'peor fotograma en',
  report: {
    title: 'Informe de capturas faciales',
    generated: 'Generado',
    byVerdict: 'Por resultado',
    byCause: 'Por causa',
    filterHint: 'Haz clic en un resultado o en una causa para filtrar los archivos.',
    search: 'Buscar por nombre de archivo',
    shown: 'Mostrados',
    noMatch: 'Ningún archivo coincide con los filtros.',
    clearFilters: 'Quitar filtros',
    noPreview: 'Sin vista previa',
    detectedFace: 'Rostro detectado',
    problemArea: 'Zona del problema',
    timeline: 'Cronología',
    worstFrames: 'Peores fotogramas',
    duration: 'Duración',
    elapsed: 'Tiempo de análisis',
    closeUp: 'Primer plano del rostro',
  },
};
