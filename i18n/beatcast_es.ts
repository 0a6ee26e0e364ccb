<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
    <context>
        <name>@default</name>
        <message>
            <location filename="../plugin.py" line="37" />
            <source>Show or hide the {} dock</source>
            <translation>Mostrar u ocultar el panel {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="41" />
            <source>All incidents</source>
            <translation>Todos los incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="42" />
            <source>Reported only (calls and reports)</source>
            <translation>Solo denunciados (llamadas y denuncias)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="43" />
            <source>Reported or unknown (leave out officer-initiated)</source>
            <translation>Denunciados o desconocidos (excluir los iniciados por agentes)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="44" />
            <source>Discovered only (officer-initiated)</source>
            <translation>Solo descubiertos (iniciados por agentes)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="76" />
            <source>Aggregate incidents (space-time cube)</source>
            <translation>Agregar incidentes (cubo espacio-temporal)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="99" />
            <source>&lt;p&gt;Counts incidents per grid cell per time bin (hour, shift, day, week or month, in local time, correct across clock changes), optionally per category: the space-time cube that forecasts, hotspot statistics, monitoring and the audit reuse without reading incidents again.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Aoristic weighting&lt;/b&gt; (on by default): an incident known only to the day or the month is spread over the bins its possible occurrence window covers, in proportion to the overlap, instead of being piled on midnight or the first of the month. Totals are conserved.&lt;/p&gt;&lt;p&gt;The grid must come from &lt;b&gt;Build grid&lt;/b&gt;. Incidents outside every cell, or outside the period, are counted and reported, not lost. The cube is stored as a compressed file &lt;i&gt;&amp;lt;output&amp;gt;.&amp;lt;name&amp;gt;.cube.npz&lt;/i&gt; beside the output GeoPackage and listed in its &lt;i&gt;beatcast_cubes&lt;/i&gt; table (format: docs/cube.md). The output layer is the grid with each cell's total (and per-category totals).&lt;/p&gt;&lt;p&gt;&lt;b&gt;ORIGIN&lt;/b&gt; counts only reported incidents (calls, reports), reported or unknown ones, or only discovered (officer-initiated) ones, from the import's origin field. Officer-initiated incidents are found where patrols went, so a model trained on them learns the patrol plan back (the runaway feedback loop: see Feedback loop simulation). Incidents left out are counted in EXCLUDED_BY_ORIGIN and the run log.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Cuenta los incidentes por celda de la cuadrícula y por intervalo de tiempo (hora, turno, día, semana o mes, en hora local, correcto a través de los cambios de hora), opcionalmente por categoría: el cubo espacio-temporal que los pronósticos, las estadísticas de puntos calientes, el monitoreo y la auditoría reutilizan sin volver a leer los incidentes.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ponderación aorística&lt;/b&gt; (activada por defecto): un incidente del que solo se conoce el día o el mes se reparte entre los intervalos que cubre su ventana de ocurrencia posible, en proporción al solapamiento, en lugar de acumularse a medianoche o el primer día del mes. Los totales se conservan.&lt;/p&gt;&lt;p&gt;La cuadrícula debe provenir de &lt;b&gt;Construir cuadrícula&lt;/b&gt;. Los incidentes fuera de toda celda, o fuera del periodo, se cuentan e informan, no se pierden. El cubo se guarda como un archivo comprimido &lt;i&gt;&amp;lt;output&amp;gt;.&amp;lt;name&amp;gt;.cube.npz&lt;/i&gt; junto al GeoPackage de salida y se registra en su tabla &lt;i&gt;beatcast_cubes&lt;/i&gt; (formato: docs/cube.md). La capa de salida es la cuadrícula con el total de cada celda (y los totales por categoría).&lt;/p&gt;&lt;p&gt;&lt;b&gt;ORIGIN&lt;/b&gt; cuenta solo los incidentes denunciados (llamadas, denuncias), los denunciados o desconocidos, o solo los descubiertos (iniciados por agentes), según el campo de origen de la importación. Los incidentes iniciados por agentes se encuentran donde fueron las patrullas, de modo que un modelo entrenado con ellos vuelve a aprender el plan de patrullaje (el bucle de retroalimentación desbocado: véase Simulación del bucle de retroalimentación). Los incidentes excluidos se cuentan en EXCLUDED_BY_ORIGIN y en el registro de ejecuciones.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="413" />
            <source>Incidents</source>
            <translation>Incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/emerging_hotspots.py" line="65" />
            <source>Grid</source>
            <translation>Cuadrícula</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="170" />
            <source>Time bins</source>
            <translation>Intervalos de tiempo</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="126" />
            <source>Shift start times (local)</source>
            <translation>Horas de inicio de turno (locales)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="129" />
            <source>For shift bins: comma-separated local start times; shifts run from one to the next.</source>
            <translation>Para intervalos por turno: horas locales de inicio separadas por comas; cada turno va de una hora a la siguiente.</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="133" />
            <source>One cube layer per category</source>
            <translation>Una capa de cubo por categoría</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="136" />
            <source>Incidents to count, by how they came to notice</source>
            <translation>Incidentes a contar, según cómo se conocieron</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="140" />
            <source>The import's origin field: reported (calls, reports) or discovered (officer-initiated). Leaving discovered incidents out keeps a model from learning where patrols went.</source>
            <translation>El campo de origen de la importación: denunciado (llamadas, denuncias) o descubierto (iniciado por agentes). Excluir los incidentes descubiertos evita que un modelo aprenda dónde fueron las patrullas.</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="146" />
            <source>Spread imprecise times (aoristic)</source>
            <translation>Repartir horas imprecisas (aorístico)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="147" />
            <source>Time zone of the bins (default: the incidents')</source>
            <translation>Zona horaria de los intervalos (por defecto: la de los incidentes)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="150" />
            <source>First day (local)</source>
            <translation>Primer día (local)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="153" />
            <source>Day after the last (local)</source>
            <translation>Día posterior al último (local)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="126" />
            <source>Cube name</source>
            <translation>Nombre del cubo</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="164" />
            <source>Cells with counts</source>
            <translation>Celdas con conteos</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="169" />
            <source>Cube file</source>
            <translation>Archivo del cubo</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="68" />
            <source>Cells</source>
            <translation>Celdas</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="170" />
            <source>Incidents counted</source>
            <translation>Incidentes contados</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="170" />
            <source>Incidents outside every cell</source>
            <translation>Incidentes fuera de toda celda</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="170" />
            <source>Incidents outside the period or without a time</source>
            <translation>Incidentes fuera del periodo o sin hora</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="170" />
            <source>Incidents left out by ORIGIN</source>
            <translation>Incidentes excluidos por ORIGIN</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="185" />
            <source>Reading incidents</source>
            <translation>Leyendo incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="192" />
            <source>ORIGIN: {} has no origin field (reported/discovered); count all incidents</source>
            <translation>ORIGIN: {} no tiene campo de origen (denunciado/descubierto); se cuentan todos los incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="200" />
            <source>{} of {} incidents left out by ORIGIN ({}); counted apart</source>
            <translation>{} de {} incidentes excluidos por ORIGIN ({}); contados aparte</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="235" />
            <source>{} incidents fall outside every cell (counted apart)</source>
            <translation>{} incidentes caen fuera de toda celda (contados aparte)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="265" />
            <source>{} cells x {} {} bins, {:.0f} incidents counted</source>
            <translation>{} celdas x {} intervalos ({}), {:.0f} incidentes contados</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="51" />
            <source>Append incidents</source>
            <translation>Añadir incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="65" />
            <source>&lt;p&gt;Adds newly arrived incidents (export files, every export file of a folder, or layers such as a GeoPackage or PostGIS table) to an incident store made by &lt;b&gt;Import incidents&lt;/b&gt;, and counts them into the store's cubes, without reading history again.&lt;/p&gt;&lt;p&gt;The new rows go through the import with the settings the store was imported with (time zone, CRS, boundary, category map, duplicate tolerances; read from the store's run log): parsing, reversals, duplicates, rejected rows with the reason, accounting. Each new incident is then matched against the stored incidents near it in time: the same incident id or a shared record ID (already in the store), or a near-identical record of another system (duplicate of a stored incident). Matched incidents are not added: their records join the stored incident, and the accounting says so (merged, with the reason).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Idempotent&lt;/b&gt;: a file appended before (or imported: same SHA-256) is skipped and named; the same records in a new file are recognised as already in the store. Appending twice adds nothing the second time.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cubes&lt;/b&gt;: every cube of the store (or those named in CUBE_NAMES) gets the new incidents in its bins, extended past its end when they are later; the result equals counting everything again. The store is written all or nothing.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Añade incidentes recién llegados (archivos de exportación, todos los archivos de exportación de una carpeta, o capas como una tabla de GeoPackage o PostGIS) a un almacén de incidentes creado con &lt;b&gt;Importar incidentes&lt;/b&gt;, y los cuenta en los cubos del almacén, sin volver a leer el historial.&lt;/p&gt;&lt;p&gt;Las filas nuevas pasan por la importación con la configuración con la que se importó el almacén (zona horaria, SRC, límite, tabla de categorías, tolerancias de duplicados; leídas del registro de ejecuciones del almacén): lectura, anulaciones, duplicados, filas rechazadas con el motivo, contabilidad. Luego cada incidente nuevo se compara con los incidentes almacenados cercanos en el tiempo: el mismo id de incidente o un ID de registro compartido (ya en el almacén), o un registro casi idéntico de otro sistema (duplicado de un incidente almacenado). Los incidentes coincidentes no se añaden: sus registros se unen al incidente almacenado, y la contabilidad lo indica (fusionado, con el motivo).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Idempotente&lt;/b&gt;: un archivo añadido antes (o importado: mismo SHA-256) se omite y se nombra; los mismos registros en un archivo nuevo se reconocen como ya presentes en el almacén. Añadir dos veces no agrega nada la segunda vez.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cubos&lt;/b&gt;: cada cubo del almacén (o los indicados en CUBE_NAMES) recibe los incidentes nuevos en sus intervalos, ampliado más allá de su final cuando son posteriores; el resultado es igual a volver a contarlo todo. El almacén se escribe por completo o nada.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="85" />
            <source>Incident store (GeoPackage from Import incidents)</source>
            <translation>Almacén de incidentes (GeoPackage de Importar incidentes)</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="89" />
            <source>New export files</source>
            <translation>Nuevos archivos de exportación</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="94" />
            <source>Folder of new export files</source>
            <translation>Carpeta de nuevos archivos de exportación</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="100" />
            <source>New incident layers (GeoPackage, PostGIS...)</source>
            <translation>Nuevas capas de incidentes (GeoPackage, PostGIS...)</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="106" />
            <source>Cubes to update (comma separated; empty: every cube of the store)</source>
            <translation>Cubos a actualizar (separados por comas; vacío: todos los cubos del almacén)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="204" />
            <source>Rows read</source>
            <translation>Filas leídas</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="112" />
            <source>Incidents added</source>
            <translation>Incidentes añadidos</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="112" />
            <source>Incidents already in the store</source>
            <translation>Incidentes ya presentes en el almacén</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="112" />
            <source>Incidents merged into stored ones</source>
            <translation>Incidentes fusionados con los almacenados</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="204" />
            <source>Rows rejected</source>
            <translation>Filas rechazadas</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="112" />
            <source>Files skipped (appended before)</source>
            <translation>Archivos omitidos (añadidos antes)</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="112" />
            <source>Cubes updated</source>
            <translation>Cubos actualizados</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="122" />
            <source>What happened</source>
            <translation>Qué ocurrió</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="127" />
            <source>STORE: {} is not a GeoPackage with an incidents layer</source>
            <translation>STORE: {} no es un GeoPackage con una capa de incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="137" />
            <source>Nothing to append: give INPUT_FILES, INPUT_FOLDER or INPUT_LAYERS</source>
            <translation>Nada que añadir: indique INPUT_FILES, INPUT_FOLDER o INPUT_LAYERS</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="140" />
            <source>Nothing new: every input was appended or imported before ({})</source>
            <translation>Nada nuevo: cada entrada ya se había añadido o importado antes ({})</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="187" />
            <source>{} rows read: {} incidents added, {} already in the store, {} merged into stored incidents, {} rows rejected; {} cube(s) updated</source>
            <translation>{} filas leídas: {} incidentes añadidos, {} ya en el almacén, {} fusionados con incidentes almacenados, {} filas rechazadas; {} cubo(s) actualizado(s)</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="200" />
            <source>STORE: {} has no Import incidents run in its run log; import first</source>
            <translation>STORE: {} no tiene ninguna ejecución de Importar incidentes en su registro de ejecuciones; importe primero</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="216" />
            <source>INPUT_FOLDER: {} is not a folder</source>
            <translation>INPUT_FOLDER: {} no es una carpeta</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="224" />
            <source>{}: appended or imported before (SHA-256 {}); skipped</source>
            <translation>{}: añadido o importado antes (SHA-256 {}); omitido</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="255" />
            <source>CUBE_NAMES: the store has no cube {} (it has: {})</source>
            <translation>CUBE_NAMES: el almacén no tiene el cubo {} (tiene: {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="266" />
            <source>cube {}: its grid {} is not in the store; not updated</source>
            <translation>cubo {}: su cuadrícula {} no está en el almacén; no se actualiza</translation>
        </message>
        <message>
            <location filename="../processing_provider/append_incidents.py" line="283" />
            <source>cube {}: {:.0f} incidents counted in, {} bins added</source>
            <translation>cubo {}: {:.0f} incidentes contados, {} intervalos añadidos</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_inputs.py" line="23" />
            <source>GROUP_FIELDS: the areas layer has no field {}</source>
            <translation>GROUP_FIELDS: la capa de áreas no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_inputs.py" line="62" />
            <source>Areas with population by group</source>
            <translation>Áreas con población por grupo</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_inputs.py" line="68" />
            <source>Population fields, one per group</source>
            <translation>Campos de población, uno por grupo</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_inputs.py" line="83" />
            <source>GROUP_FIELDS: choose the population field of each group of AREAS</source>
            <translation>GROUP_FIELDS: elija el campo de población de cada grupo de AREAS</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="37" />
            <source>Backtest forecasting models</source>
            <translation>Validación retrospectiva de modelos de pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="49" />
            <source>&lt;p&gt;Rolling-origin backtest: for each of the last PERIODS windows of the cube, every chosen model is fitted on what came before and its forecast compared with what happened. Metrics at 1, 5, 10 and 20 % of the area flagged: hit rate, PAI (Chainey et al. 2008), PEI* (Hunt 2016), RRI (Levine 2008, against the previous window); once per period: the Poisson log score and the coverage of the calibrated 90 % interval.&lt;/p&gt;&lt;p&gt;Outputs: a table per model and period, a summary table (means over periods, pooled PAI, seconds per fit), a PNG chart of mean PAI by area flagged, and the best model by mean PAI at 5 % with its figures as numbers a model can chain.&lt;/p&gt;&lt;p&gt;Each model is fitted once per origin and the fits are shared by the interval calibration and the ensemble.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Validación retrospectiva con origen móvil: para cada una de las últimas PERIODS ventanas del cubo, cada modelo elegido se ajusta con lo anterior y su pronóstico se compara con lo que ocurrió. Métricas al 1, 5, 10 y 20 % del área señalada: tasa de aciertos, PAI (Chainey et al. 2008), PEI* (Hunt 2016), RRI (Levine 2008, frente a la ventana anterior); una vez por periodo: la puntuación logarítmica de Poisson y la cobertura del intervalo calibrado del 90 %.&lt;/p&gt;&lt;p&gt;Salidas: una tabla por modelo y periodo, una tabla resumen (medias sobre los periodos, PAI agrupado, segundos por ajuste), un gráfico PNG del PAI medio según el área señalada, y el mejor modelo según el PAI medio al 5 % con sus cifras como números que un modelo puede encadenar.&lt;/p&gt;&lt;p&gt;Cada modelo se ajusta una vez por origen y los ajustes se comparten entre la calibración de intervalos y el ensamble.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="65" />
            <source>Models</source>
            <translation>Modelos</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="102" />
            <source>Horizon</source>
            <translation>Horizonte</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="79" />
            <source>Periods to evaluate</source>
            <translation>Periodos a evaluar</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="119" />
            <source>Table name prefix</source>
            <translation>Prefijo del nombre de las tablas</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="86" />
            <source>Backtest tables</source>
            <translation>Tablas de la validación retrospectiva</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="91" />
            <source>PAI chart</source>
            <translation>Gráfico de PAI</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="126" />
            <source>PNG image (*.png)</source>
            <translation>Imagen PNG (*.png)</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="96" />
            <source>Summary table</source>
            <translation>Tabla resumen</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="97" />
            <source>Best model (mean PAI at 5 %)</source>
            <translation>Mejor modelo (PAI medio al 5 %)</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="98" />
            <source>Best model: mean PAI at 5 %</source>
            <translation>Mejor modelo: PAI medio al 5 %</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="99" />
            <source>Best model: mean hit rate at 5 %</source>
            <translation>Mejor modelo: tasa de aciertos media al 5 %</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="100" />
            <source>Best model: mean PEI* at 5 %</source>
            <translation>Mejor modelo: PEI* medio al 5 %</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="101" />
            <source>Best model: 90 % interval coverage</source>
            <translation>Mejor modelo: cobertura del intervalo del 90 %</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="104" />
            <source>Best model: PIT coverage (90 %)</source>
            <translation>Mejor modelo: cobertura PIT (90 %)</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="117" />
            <source>{} over the last {} periods of {} bin(s): {}</source>
            <translation>{} en los últimos {} periodos de {} intervalo(s): {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="129" />
            <source>PERIODS: no model could forecast any period</source>
            <translation>PERIODS: ningún modelo pudo pronosticar ningún periodo</translation>
        </message>
        <message>
            <location filename="../processing_provider/backtest.py" line="140" />
            <source>Backtest: {} periods of {} {} bin(s)</source>
            <translation>Validación retrospectiva: {} periodos de {} intervalo(s) de {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/base.py" line="15" />
            <source>Data preparation</source>
            <translation>Preparación de datos</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="94" />
            <source>Hot spots</source>
            <translation>Puntos calientes</translation>
        </message>
        <message>
            <location filename="../processing_provider/base.py" line="17" />
            <source>Forecasting</source>
            <translation>Pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/base.py" line="18" />
            <source>Patrol planning</source>
            <translation>Planificación del patrullaje</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>Bias audit</source>
            <translation>Auditoría de sesgo</translation>
        </message>
        <message>
            <location filename="../processing_provider/base.py" line="20" />
            <source>Demo and training</source>
            <translation>Demostración y capacitación</translation>
        </message>
        <message>
            <location filename="../processing_provider/base.py" line="54" />
            <source>Cancelled: nothing was written.</source>
            <translation>Cancelado: no se escribió nada.</translation>
        </message>
        <message>
            <location filename="../processing_provider/base.py" line="64" />
            <source>{} must be a GeoPackage (.gpkg): {}</source>
            <translation>{} debe ser un GeoPackage (.gpkg): {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="39" />
            <source>Area of the features where the field is above 0 (flagged area)</source>
            <translation>Área de las entidades donde el campo es mayor que 0 (área señalada)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="39" />
            <source>Value of the field (expected incidents, patrol visits or minutes)</source>
            <translation>Valor del campo (incidentes esperados, visitas o minutos de patrullaje)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="106" />
            <source>&lt;p&gt;Compares where attention goes with who lives there. Exposure comes from CELLS: the area of the features flagged (EXPOSURE_FIELD above 0, e.g. a forecast's hotspot_zone) or the value of a field (expected incidents; a patrol plan's visits). Each cell's exposure is shared among the AREAS it overlaps (by area), and each area's among its residents by group (GROUP_FIELDS: population counts per group, e.g. census counts).&lt;/p&gt;&lt;p&gt;Per area: shares of exposure, population, reported INCIDENTS and ENFORCEMENT (arrests, stops), exposure per resident. Per group: exposure ratio (share of exposure / share of population), disparate impact (lowest / highest exposure per resident; the four-fifths rule flags below 0.8) and the Gini of exposure per resident across areas. Flags above the thresholds. The proxy check compares every model feature (FEATURES layer, e.g. the cell covariates) with each group's share of the residents, area by area (a feature's area value is the mean over the area's cells: group counts are only known per area): Spearman correlation and mutual information read as an informational correlation, each flagged when above its threshold and significant in a permutation test (199 shuffles, p &amp;lt; 0.05).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Policy&lt;/b&gt;: the thresholds left empty come from the policy file (POLICY; empty: BeatCast's defaults: 1.25, 0.8, 0.5, 0.5). A threshold looser than the policy's is refused, naming the rule; the run log keeps the policy file, its SHA-256 and its rules.&lt;/p&gt;&lt;p&gt;Outputs: the areas layer, the groups and proxies tables, an HTML report with the tables and a chart, and the worst exposure ratio, disparate impact, Gini and number of flags.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Compara hacia dónde va la atención con quién vive allí. La exposición proviene de CELLS: el área de las entidades señaladas (EXPOSURE_FIELD mayor que 0, p. ej. la hotspot_zone de un pronóstico) o el valor de un campo (incidentes esperados; las visitas de un plan de patrullaje). La exposición de cada celda se reparte entre las AREAS con las que se solapa (según el área), y la de cada área entre sus residentes por grupo (GROUP_FIELDS: conteos de población por grupo, p. ej. conteos censales).&lt;/p&gt;&lt;p&gt;Por área: proporciones de exposición, población, INCIDENTS denunciados y ENFORCEMENT (detenciones, paradas), exposición por residente. Por grupo: razón de exposición (proporción de la exposición / proporción de la población), impacto dispar (menor / mayor exposición por residente; la regla de los cuatro quintos señala valores por debajo de 0.8) y el Gini de la exposición por residente entre áreas. Señala los valores que superan los umbrales. La verificación de variables sustitutas (proxies) compara cada variable del modelo (capa FEATURES, p. ej. las covariables de celda) con la proporción de residentes de cada grupo, área por área (el valor de una variable en un área es la media sobre las celdas del área: los conteos por grupo solo se conocen por área): la correlación de Spearman y la información mutua leída como correlación informacional, cada una señalada cuando supera su umbral y es significativa en una prueba de permutación (199 permutaciones, p &amp;lt; 0.05).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Política&lt;/b&gt;: los umbrales dejados vacíos se toman del archivo de política (POLICY; vacío: los valores por defecto de BeatCast: 1.25, 0.8, 0.5, 0.5). Un umbral más laxo que el de la política se rechaza, nombrando la regla; el registro de ejecuciones guarda el archivo de política, su SHA-256 y sus reglas.&lt;/p&gt;&lt;p&gt;Salidas: la capa de áreas, las tablas de grupos y de variables sustitutas, un informe HTML con las tablas y un gráfico, y la peor razón de exposición, el impacto dispar, el Gini y el número de señales.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="129" />
            <source>Forecast cells or patrol zones</source>
            <translation>Celdas de pronóstico o zonas de patrullaje</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="134" />
            <source>Exposure field</source>
            <translation>Campo de exposición</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="140" />
            <source>Exposure</source>
            <translation>Exposición</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="146" />
            <source>Reported incidents</source>
            <translation>Incidentes denunciados</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="146" />
            <source>Enforcement (arrests, stops)</source>
            <translation>Actuaciones policiales (detenciones, paradas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="153" />
            <source>Model features per cell (proxy check)</source>
            <translation>Variables del modelo por celda (verificación de variables sustitutas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="161" />
            <source>Features to check</source>
            <translation>Variables a verificar</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="167" />
            <source>Flag exposure ratios above (empty: the policy's)</source>
            <translation>Señalar razones de exposición mayores que (vacío: el de la política)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="167" />
            <source>Flag disparate impact below (empty: the policy's)</source>
            <translation>Señalar impacto dispar menor que (vacío: el de la política)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="167" />
            <source>Flag proxies with |Spearman| above (empty: the policy's)</source>
            <translation>Señalar variables sustitutas con |Spearman| mayor que (vacío: el de la política)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="167" />
            <source>Flag proxies with informational correlation above (empty: the policy's)</source>
            <translation>Señalar variables sustitutas con correlación informacional mayor que (vacío: el de la política)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="180" />
            <source>Report</source>
            <translation>Informe</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="180" />
            <source>HTML files (*.html)</source>
            <translation>Archivos HTML (*.html)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="185" />
            <source>Worst exposure ratio</source>
            <translation>Peor razón de exposición</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="185" />
            <source>Disparate impact</source>
            <translation>Impacto dispar</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="185" />
            <source>Gini of exposure per resident</source>
            <translation>Gini de la exposición por residente</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="185" />
            <source>Flags raised</source>
            <translation>Señales emitidas</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="192" />
            <source>Groups table</source>
            <translation>Tabla de grupos</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="198" />
            <source>EXPOSURE_FIELD: {} has no field {}</source>
            <translation>EXPOSURE_FIELD: {} no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="216" />
            <source>CELLS: the layer is in degrees; use a metric grid</source>
            <translation>CELLS: la capa está en grados; use una cuadrícula métrica</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="220" />
            <source>{} cells, {} areas, groups: {}</source>
            <translation>{} celdas, {} áreas, grupos: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="242" />
            <source>Exposure: {} of {}. Policy: {} (SHA-256 {}); thresholds: {}</source>
            <translation>Exposición: {} de {}. Política: {} (SHA-256 {}); umbrales: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="269" />
            <source>BeatCast bias audit</source>
            <translation>Auditoría de sesgo de BeatCast</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="50" />
            <source>Build grid</source>
            <translation>Construir cuadrícula</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="66" />
            <source>&lt;p&gt;Covers the jurisdiction with square or hexagonal cells of a given size in metres, clipped to the boundary: partial cells keep their area and area fraction. Every BeatCast cube, forecast, hotspot map, patrol plan and audit works on these cells.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cell ids are stable&lt;/b&gt;: the lattice is anchored at the CRS origin, so a cell's id (shape, size, column, row) is the same in every run and whatever the extent.&lt;/p&gt;&lt;p&gt;The CRS is, in order: the CRS parameter, the incidents layer's CRS, the boundary's CRS; it must be projected (metres). Label polygons (for example districts) give each cell the value of the polygon holding its centroid.&lt;/p&gt;&lt;p&gt;Output fields: cell_id, col, row, area_m2, area_fraction, centroid_x, centroid_y and the label fields. The grid's lattice is recorded in the GeoPackage (table beatcast_grids) for &lt;b&gt;Aggregate incidents&lt;/b&gt;.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Cubre la jurisdicción con celdas cuadradas o hexagonales de un tamaño dado en metros, recortadas al límite: las celdas parciales conservan su área y su fracción de área. Cada cubo, pronóstico, mapa de puntos calientes, plan de patrullaje y auditoría de BeatCast trabaja sobre estas celdas.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Los ids de celda son estables&lt;/b&gt;: la retícula está anclada en el origen del SRC, de modo que el id de una celda (forma, tamaño, columna, fila) es el mismo en cada ejecución y cualquiera que sea la extensión.&lt;/p&gt;&lt;p&gt;El SRC es, en este orden: el parámetro CRS, el SRC de la capa de incidentes, el SRC del límite; debe ser proyectado (metros). Los polígonos de etiquetas (por ejemplo, distritos) dan a cada celda el valor del polígono que contiene su centroide.&lt;/p&gt;&lt;p&gt;Campos de salida: cell_id, col, row, area_m2, area_fraction, centroid_x, centroid_y y los campos de etiqueta. La retícula de la cuadrícula se registra en el GeoPackage (tabla beatcast_grids) para &lt;b&gt;Agregar incidentes&lt;/b&gt;.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="124" />
            <source>Jurisdiction boundary</source>
            <translation>Límite de la jurisdicción</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="87" />
            <source>Extent (without a boundary)</source>
            <translation>Extensión (sin límite)</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="90" />
            <source>Incidents (their CRS is used)</source>
            <translation>Incidentes (se usa su SRC)</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="95" />
            <source>Cell shape</source>
            <translation>Forma de la celda</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="96" />
            <source>Cell size</source>
            <translation>Tamaño de la celda</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="97" />
            <source>Square: side. Hexagon: distance between opposite sides.</source>
            <translation>Cuadrado: lado. Hexágono: distancia entre lados opuestos.</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="99" />
            <source>Label polygons (e.g. districts)</source>
            <translation>Polígonos de etiquetas (p. ej. distritos)</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="107" />
            <source>Label fields</source>
            <translation>Campos de etiqueta</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="114" />
            <source>Grid CRS (projected)</source>
            <translation>SRC de la cuadrícula (proyectado)</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="115" />
            <source>Drop cells with less of their area inside than</source>
            <translation>Descartar celdas con menos de su área dentro que</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="119" />
            <source>Maximum number of cells</source>
            <translation>Número máximo de celdas</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="143" />
            <source>CRS: give a projected CRS, an incidents layer or a boundary</source>
            <translation>CRS: indique un SRC proyectado, una capa de incidentes o un límite</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="145" />
            <source>CRS: {} is geographic (degrees); cells are sized in metres: choose a projected CRS</source>
            <translation>CRS: {} es geográfico (grados); las celdas se miden en metros: elija un SRC proyectado</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="166" />
            <source>Give a BOUNDARY or an EXTENT to cover with cells</source>
            <translation>Indique un BOUNDARY o una EXTENT para cubrir con celdas</translation>
        </message>
        <message>
            <location filename="../processing_provider/build_grid.py" line="192" />
            <source>{} {} cells of {} m in {}</source>
            <translation>{} {} celdas de {} m en {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="92" />
            <source>Cell covariates</source>
            <translation>Covariables de celda</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="111" />
            <source>&lt;p&gt;Adds covariates to every cell of a BeatCast grid, for the forecasting models and the bias audit: distance to the nearest feature and features within a radius of each point layer (bars, transit stops, schools; split by a field such as &lt;i&gt;kind&lt;/i&gt; when the layer has it), length of lines per cell (roads, split by class), mean and maximum of rasters, and area-weighted attributes of a polygon layer (census counts are shared out by overlapping area; rates and shares are averaged by area).&lt;/p&gt;&lt;p&gt;Fields:&lt;/p&gt;&lt;ul&gt;{}&lt;/ul&gt;&lt;p&gt;Each field's meaning is also written to the table &lt;i&gt;beatcast_field_docs&lt;/i&gt;.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Añade covariables a cada celda de una cuadrícula de BeatCast, para los modelos de pronóstico y la auditoría de sesgo: distancia a la entidad más cercana y entidades dentro de un radio para cada capa de puntos (bares, paradas de transporte público, escuelas; separadas por un campo como &lt;i&gt;kind&lt;/i&gt; cuando la capa lo tiene), longitud de líneas por celda (calles, separadas por clase), media y máximo de rásteres, y atributos ponderados por área de una capa de polígonos (los conteos censales se reparten según el área solapada; las tasas y proporciones se promedian según el área).&lt;/p&gt;&lt;p&gt;Campos:&lt;/p&gt;&lt;ul&gt;{}&lt;/ul&gt;&lt;p&gt;El significado de cada campo también se escribe en la tabla &lt;i&gt;beatcast_field_docs&lt;/i&gt;.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="125" />
            <source>Point layers</source>
            <translation>Capas de puntos</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="130" />
            <source>Split point layers by field (when present)</source>
            <translation>Separar las capas de puntos por campo (si existe)</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="138" />
            <source>Radius for counts</source>
            <translation>Radio para los conteos</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="141" />
            <source>Line layers (roads)</source>
            <translation>Capas de líneas (calles)</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="146" />
            <source>Split line layers by field (when present)</source>
            <translation>Separar las capas de líneas por campo (si existe)</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="154" />
            <source>Rasters</source>
            <translation>Rásteres</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="159" />
            <source>Polygon layer (e.g. census areas)</source>
            <translation>Capa de polígonos (p. ej. áreas censales)</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="167" />
            <source>Counts to share out by area (population...)</source>
            <translation>Conteos a repartir según el área (población...)</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="167" />
            <source>Rates or shares to average by area</source>
            <translation>Tasas o proporciones a promediar según el área</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="177" />
            <source>Cells with covariates</source>
            <translation>Celdas con covariables</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="182" />
            <source>Covariate fields</source>
            <translation>Campos de covariables</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="201" />
            <source>two covariates would both be named {}: rename a layer</source>
            <translation>dos covariables se llamarían {}: cambie el nombre de una capa</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="208" />
            <source>Give at least one point, line, raster or polygon layer</source>
            <translation>Indique al menos una capa de puntos, líneas, ráster o polígonos</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="238" />
            <source>Points: {}</source>
            <translation>Puntos: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="249" />
            <source>Lines: {}</source>
            <translation>Líneas: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="256" />
            <source>Raster: {}</source>
            <translation>Ráster: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="267" />
            <source>Polygons: {}</source>
            <translation>Polígonos: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/demo_city.py" line="41" />
            <source>Generate demo city</source>
            <translation>Generar ciudad de demostración</translation>
        </message>
        <message>
            <location filename="../processing_provider/demo_city.py" line="47" />
            <source>&lt;p&gt;Writes a synthetic city with known crime structure, for training and for trying BeatCast without real data. The same seed always gives the same files.&lt;/p&gt;&lt;p&gt;Layers (GeoJSON, EPSG:32616): boundary, 5 police districts, 50 census areas with population by group, roads with speeds, points of interest (bars, transit stops, schools) and one police station per district.&lt;/p&gt;&lt;p&gt;Exports in &lt;i&gt;exports/&lt;/i&gt;: the same two years of incidents as a records system (RMS, Latin-1, projected x/y), a dispatch system (CAD, lat/lon, UTF-8 with BOM) and a 911 phone system (UTC times, semicolons) would export them, with the usual problems planted: duplicates, reversals, missing and zero coordinates, out-of-jurisdiction points, unparseable dates, conflicting IDs. &lt;i&gt;category_map.csv&lt;/i&gt; maps each system's types to five categories. &lt;i&gt;truth/&lt;/i&gt; holds what every messy row really is.&lt;/p&gt;&lt;p&gt;Signals in &lt;i&gt;signals/&lt;/i&gt;: daily weather and transit ridership (with a few missing values) and located events with start and end times, for &lt;b&gt;Time covariates&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Import the exports with &lt;b&gt;Import incidents&lt;/b&gt; (time zone America/Chicago, CRS of projected x/y EPSG:32616, the boundary and the category map).&lt;/p&gt;</source>
            <translation>&lt;p&gt;Escribe una ciudad sintética con una estructura delictiva conocida, para capacitación y para probar BeatCast sin datos reales. La misma semilla siempre produce los mismos archivos.&lt;/p&gt;&lt;p&gt;Capas (GeoJSON, EPSG:32616): límite, 5 distritos policiales, 50 áreas censales con población por grupo, calles con velocidades, puntos de interés (bares, paradas de transporte público, escuelas) y una estación de policía por distrito.&lt;/p&gt;&lt;p&gt;Exportaciones en &lt;i&gt;exports/&lt;/i&gt;: los mismos dos años de incidentes tal como los exportarían un sistema de registros (RMS, Latin-1, x/y proyectadas), un sistema de despacho (CAD, lat/lon, UTF-8 con BOM) y un sistema telefónico 911 (horas UTC, punto y coma), con los problemas habituales sembrados: duplicados, anulaciones, coordenadas faltantes y en cero, puntos fuera de la jurisdicción, fechas ilegibles, IDs en conflicto. &lt;i&gt;category_map.csv&lt;/i&gt; asigna los tipos de cada sistema a cinco categorías. &lt;i&gt;truth/&lt;/i&gt; contiene lo que realmente es cada fila problemática.&lt;/p&gt;&lt;p&gt;Señales en &lt;i&gt;signals/&lt;/i&gt;: clima diario y número de pasajeros del transporte público (con algunos valores faltantes) y eventos localizados con horas de inicio y fin, para &lt;b&gt;Covariables temporales&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Importe las exportaciones con &lt;b&gt;Importar incidentes&lt;/b&gt; (zona horaria America/Chicago, SRC de las x/y proyectadas EPSG:32616, el límite y la tabla de categorías).&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="160" />
            <source>Random seed</source>
            <translation>Semilla aleatoria</translation>
        </message>
        <message>
            <location filename="../processing_provider/demo_city.py" line="71" />
            <source>Output folder</source>
            <translation>Carpeta de salida</translation>
        </message>
        <message>
            <location filename="../processing_provider/demo_city.py" line="80" />
            <source>Generating the demo city (seed {})</source>
            <translation>Generando la ciudad de demostración (semilla {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/emerging_hotspots.py" line="77" />
            <source>Emerging hot spots</source>
            <translation>Puntos calientes emergentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/emerging_hotspots.py" line="45" />
            <source>&lt;p&gt;Emerging hot spot analysis of a space-time cube, with the pattern definitions of ArcGIS Pro's Emerging Hot Spot Analysis: Gi* of every cell in every time bin (the neighbourhood over space and the previous bin, compared with the whole cube), the Mann-Kendall trend of each cell's Gi* z-scores, and a pattern per cell: {} (and the same cold spots), or No Pattern Detected.&lt;/p&gt;&lt;p&gt;Use bins of even length (whole weeks or months): a short first or last bin distorts the results. The grid must be the one the cube was counted on.&lt;/p&gt;&lt;p&gt;Fields: pattern, pattern_code (1..8 hot, -1..-8 cold), trend_z, trend_p, n_hot_bins, n_cold_bins, pct_hot, last_bin_hot, hot_run_at_end, count_trend_z, total.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Análisis de puntos calientes emergentes de un cubo espacio-temporal, con las definiciones de patrones del Emerging Hot Spot Analysis de ArcGIS Pro: Gi* de cada celda en cada intervalo de tiempo (la vecindad en el espacio y el intervalo anterior, comparada con todo el cubo), la tendencia de Mann-Kendall de las puntuaciones z de Gi* de cada celda, y un patrón por celda: {} (y los mismos puntos fríos), o Ningún patrón detectado.&lt;/p&gt;&lt;p&gt;Use intervalos de igual duración (semanas o meses completos): un primer o último intervalo corto distorsiona los resultados. La cuadrícula debe ser aquella con la que se contó el cubo.&lt;/p&gt;&lt;p&gt;Campos: pattern, pattern_code (1..8 calientes, -1..-8 fríos), trend_z, trend_p, n_hot_bins, n_cold_bins, pct_hot, last_bin_hot, hot_run_at_end, count_trend_z, total.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="123" />
            <source>GeoPackage holding the cube</source>
            <translation>GeoPackage que contiene el cubo</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="127" />
            <source>Category (empty: all)</source>
            <translation>Categoría (vacío: todas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/emerging_hotspots.py" line="69" />
            <source>Significance level</source>
            <translation>Nivel de significancia</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="91" />
            <source>False discovery rate correction</source>
            <translation>Corrección por tasa de descubrimientos falsos</translation>
        </message>
        <message>
            <location filename="../processing_provider/emerging_hotspots.py" line="82" />
            <source>New, consecutive or intensifying hot spots</source>
            <translation>Puntos calientes nuevos, consecutivos o en intensificación</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="91" />
            <source>CATEGORY: {} is not in the cube (categories: {})</source>
            <translation>CATEGORY: {} no está en el cubo (categorías: {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="102" />
            <source>GRID: not the grid the cube was counted on (cell ids differ)</source>
            <translation>GRID: no es la cuadrícula con la que se contó el cubo (los ids de celda difieren)</translation>
        </message>
        <message>
            <location filename="../processing_provider/emerging_hotspots.py" line="102" />
            <source>{} cells x {} bins, neighbours: {}</source>
            <translation>{} celdas x {} intervalos, vecinos: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="37" />
            <source>Export roll-call map pack</source>
            <translation>Exportar paquete de mapas para el pase de lista</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="48" />
            <source>&lt;p&gt;Prints the roll-call map pack of a patrol plan: page 1 the whole city, then one page per district. Each page shows the forecast (expected incidents per cell), the hotspot zones, the ranked patrol zones and the unit routes, with a legend, scale bar, north arrow, the shift, a table of the top zones (rank, district, expected, visits, dwell), the visit order, the approval (who, when in UTC, why) and the standing disclaimer: a forecast is not grounds for a stop, search or arrest; it describes places and times, never people. Only aggregated layers are drawn: incident points only with INCIDENT_POINTS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;PLAN&lt;/b&gt;: the GeoPackage written by beatcast:forecastrisk and beatcast:patrolplan. &lt;b&gt;PLAN_RUN_ID&lt;/b&gt;: the patrol plan run to print (empty: the newest one).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Approval&lt;/b&gt;: a plan is printed only when its latest decision in the GeoPackage's run log is &lt;i&gt;approved&lt;/i&gt; and the plan tables (patrol_zones, patrol_routes, patrol_schedule) are unchanged since (a sha256 taken at approval). Record the decision in the Parameter review dock (or in Python: beatcast.core.approval.record_decision(gpkg, plan_run_id, 'approved' or 'rejected', name, rationale)). A rejected plan, a plan without a decision, or one edited after its approval can only be exported with DRAFT: every page then says DRAFT – NOT APPROVED.&lt;/p&gt;&lt;p&gt;The PDF is written to a temporary file and moved into place, so a failed or cancelled run leaves no half-written file; PNG_FOLDER adds one PNG per page. The export is appended to the PLAN run log with the PDF's sha256. Outputs: the PDF, the number of PAGES and the APPROVAL printed.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Imprime el paquete de mapas para el pase de lista de un plan de patrullaje: la página 1 muestra toda la ciudad, y luego una página por distrito. Cada página muestra el pronóstico (incidentes esperados por celda), las zonas de puntos calientes, las zonas de patrullaje ordenadas por prioridad y las rutas de las unidades, con una leyenda, barra de escala, flecha del norte, el turno, una tabla de las zonas principales (rango, distrito, esperados, visitas, permanencia), el orden de las visitas, la aprobación (quién, cuándo en UTC, por qué) y la advertencia permanente: un pronóstico no es motivo para una parada, un registro o una detención; describe lugares y momentos, nunca personas. Solo se dibujan capas agregadas: los puntos de incidentes solo con INCIDENT_POINTS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;PLAN&lt;/b&gt;: el GeoPackage escrito por beatcast:forecastrisk y beatcast:patrolplan. &lt;b&gt;PLAN_RUN_ID&lt;/b&gt;: la ejecución del plan de patrullaje a imprimir (vacío: la más reciente).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Aprobación&lt;/b&gt;: un plan se imprime solo cuando su última decisión en el registro de ejecuciones del GeoPackage es &lt;i&gt;approved&lt;/i&gt; y las tablas del plan (patrol_zones, patrol_routes, patrol_schedule) no han cambiado desde entonces (un sha256 tomado en la aprobación). Registre la decisión en el panel de revisión de parámetros (o en Python: beatcast.core.approval.record_decision(gpkg, plan_run_id, 'approved' o 'rejected', nombre, justificación)). Un plan rechazado, un plan sin decisión, o uno editado después de su aprobación solo puede exportarse con DRAFT: cada página indica entonces BORRADOR – NO APROBADO.&lt;/p&gt;&lt;p&gt;El PDF se escribe en un archivo temporal y luego se mueve a su lugar, de modo que una ejecución fallida o cancelada no deja ningún archivo a medio escribir; PNG_FOLDER añade un PNG por página. La exportación se añade al registro de ejecuciones del PLAN con el sha256 del PDF. Salidas: el PDF, el número de páginas (PAGES) y la aprobación impresa (APPROVAL).&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="71" />
            <source>Plan GeoPackage (forecast and patrol plan)</source>
            <translation>GeoPackage del plan (pronóstico y plan de patrullaje)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="76" />
            <source>Patrol plan run id (empty: the newest)</source>
            <translation>Id de la ejecución del plan de patrullaje (vacío: la más reciente)</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="126" />
            <source>Districts</source>
            <translation>Distritos</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="139" />
            <source>District name field</source>
            <translation>Campo de nombre del distrito</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="87" />
            <source>Paper (landscape)</source>
            <translation>Papel (horizontal)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="90" />
            <source>Shift label (empty: from the plan)</source>
            <translation>Etiqueta del turno (vacío: la del plan)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="95" />
            <source>Draft: export without approval</source>
            <translation>Borrador: exportar sin aprobación</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="98" />
            <source>Show incident points</source>
            <translation>Mostrar los puntos de incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="101" />
            <source>Map pack (PDF)</source>
            <translation>Paquete de mapas (PDF)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="101" />
            <source>PDF files (*.pdf)</source>
            <translation>Archivos PDF (*.pdf)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="106" />
            <source>Folder for one PNG per page</source>
            <translation>Carpeta para un PNG por página</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="111" />
            <source>Pages</source>
            <translation>Páginas</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="112" />
            <source>Approval printed</source>
            <translation>Aprobación impresa</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="119" />
            <source>record a decision in the Parameter review dock, or export with DRAFT</source>
            <translation>registre una decisión en el panel de revisión de parámetros, o exporte con DRAFT</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="121" />
            <source>PLAN: patrol plan run {} in {} has no approval: {}</source>
            <translation>PLAN: la ejecución {} del plan de patrullaje en {} no tiene aprobación: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="125" />
            <source>PLAN: patrol plan run {} was {} by {} ({}): a rejected plan can only be exported as a DRAFT</source>
            <translation>PLAN: la ejecución {} del plan de patrullaje fue {} por {} ({}): un plan rechazado solo puede exportarse como borrador (DRAFT)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="130" />
            <source>PLAN: the tables of patrol plan run {} changed since {} approved them at {} UTC: approve the plan again (or export with DRAFT)</source>
            <translation>PLAN: las tablas de la ejecución {} del plan de patrullaje cambiaron desde que {} las aprobó el {} UTC: apruebe el plan de nuevo (o exporte con DRAFT)</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="142" />
            <source>PLAN: no such GeoPackage: {}</source>
            <translation>PLAN: no existe el GeoPackage: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="146" />
            <source>PLAN: {} holds no beatcast:patrolplan run; run Patrol plan into it first</source>
            <translation>PLAN: {} no contiene ninguna ejecución de beatcast:patrolplan; ejecute primero Plan de patrullaje en él</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="154" />
            <source>DISTRICTS: the layer could not be read</source>
            <translation>DISTRICTS: no se pudo leer la capa</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="160" />
            <source>Building the layout</source>
            <translation>Construyendo la composición</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="170" />
            <source>Exporting {} pages</source>
            <translation>Exportando {} páginas</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="69" />
            <source>DRAFT – NOT APPROVED</source>
            <translation>BORRADOR – NO APROBADO</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="173" />
            <source>approved by {} at {} UTC (decision {})</source>
            <translation>aprobado por {} el {} UTC (decisión {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/export_map_pack.py" line="186" />
            <source>{} pages written to {} ({})</source>
            <translation>{} páginas escritas en {} ({})</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="36" />
            <source>no cap</source>
            <translation>sin límite</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="48" />
            <source>Worst group exposure ratio</source>
            <translation>Peor razón de exposición de un grupo</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="49" />
            <source>Expected incidents in the chosen zones</source>
            <translation>Incidentes esperados en las zonas elegidas</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="50" />
            <source>The price of equity</source>
            <translation>El precio de la equidad</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="93" />
            <source>Fairness frontier</source>
            <translation>Frontera de equidad</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="64" />
            <source>&lt;p&gt;Shows command staff the price of each level of equity. The MAX_ZONES patrol zones that capture the most forecast risk are chosen (the zone-selection program of Patrol plan, without routing: each zone counts as one visit) first without a cap, then with every group's exposure ratio capped at each value of CAPS. The table and chart give, cap by cap, the captured risk, its loss against no cap, and every group's exposure ratio (share of patrol exposure over share of population). A cap no selection can meet is marked infeasible.&lt;/p&gt;&lt;p&gt;POLICY (the agency's policy file; empty: BeatCast's defaults): when it sets patrol.exposure_ratio_cap, that cap is added to CAPS and the column within_policy says which rows meet it. The run log keeps the policy file, its SHA-256 and its rules.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Muestra al mando el precio de cada nivel de equidad. Se eligen las MAX_ZONES zonas de patrullaje que capturan más riesgo pronosticado (el programa de selección de zonas de Plan de patrullaje, sin rutas: cada zona cuenta como una visita), primero sin límite y luego con la razón de exposición de cada grupo limitada a cada valor de CAPS. La tabla y el gráfico dan, límite por límite, el riesgo capturado, su pérdida frente a no tener límite, y la razón de exposición de cada grupo (proporción de la exposición al patrullaje sobre proporción de la población). Un límite que ninguna selección puede cumplir se marca como no factible.&lt;/p&gt;&lt;p&gt;POLICY (el archivo de política de la institución; vacío: los valores por defecto de BeatCast): cuando define patrol.exposure_ratio_cap, ese límite se añade a CAPS y la columna within_policy indica qué filas lo cumplen. El registro de ejecuciones guarda el archivo de política, su SHA-256 y sus reglas.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="78" />
            <source>Candidate cells</source>
            <translation>Celdas candidatas</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="83" />
            <source>Zones to choose</source>
            <translation>Zonas a elegir</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="89" />
            <source>Caps to try</source>
            <translation>Límites a probar</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="126" />
            <source>Chart</source>
            <translation>Gráfico</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="103" />
            <source>Worst exposure ratio without a cap</source>
            <translation>Peor razón de exposición sin límite</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="104" />
            <source>Captured-risk loss at the tightest feasible cap</source>
            <translation>Pérdida de riesgo capturado con el límite factible más estricto</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="113" />
            <source>FORECAST: the layer is in degrees; use a forecast on a metric grid</source>
            <translation>FORECAST: la capa está en grados; use un pronóstico sobre una cuadrícula métrica</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="120" />
            <source>CAPS: give numbers separated by commas, e.g. 1.5, 1.25, 1.1</source>
            <translation>CAPS: indique números separados por comas, p. ej. 1.5, 1.25, 1.1</translation>
        </message>
        <message>
            <location filename="../processing_provider/fairness_frontier.py" line="150" />
            <source>cap {}: captured {:.2f} (loss {:.1%}), worst ratio {:.3f}, {}</source>
            <translation>límite {}: capturado {:.2f} (pérdida {:.1%}), peor razón {:.3f}, {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="40" />
            <source>TRUE_RATES: {} is not a list of numbers</source>
            <translation>TRUE_RATES: {} no es una lista de números</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="42" />
            <source>TRUE_RATES: give at least two positive incident rates per day, e.g. 0.5, 0.4</source>
            <translation>TRUE_RATES: indique al menos dos tasas positivas de incidentes por día, p. ej. 0.5, 0.4</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="67" />
            <source>Feedback loop simulation</source>
            <translation>Simulación del bucle de retroalimentación</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="77" />
            <source>&lt;p&gt;Simulates the runaway feedback loop of predictive policing (Ensign et al. 2018, "Runaway feedback loops in predictive policing"): areas with known true incident rates; each day patrols go where the model expects crime (URN: in proportion to the incidents recorded so far; GREEDY: to the highest); patrols discover incidents only where they go, and the model is retrained on what was recorded. Optionally reported incidents (which arrive wherever police are) feed the model too.&lt;/p&gt;&lt;p&gt;Runs twice, without and with Ensign's correction (a discovered incident counts 1 / the probability that its area was patrolled that day), and reports how far the final patrol allocation is from the true distribution of crime (L1 distance: 0 is right, 2 is as wrong as can be). Outputs the daily trajectories, a chart and both errors.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Simula el bucle de retroalimentación desbocado de la vigilancia policial predictiva (Ensign et al. 2018, "Runaway feedback loops in predictive policing"): áreas con tasas reales de incidentes conocidas; cada día las patrullas van adonde el modelo espera delitos (URN: en proporción a los incidentes registrados hasta el momento; GREEDY: al área más alta); las patrullas descubren incidentes solo donde van, y el modelo se vuelve a entrenar con lo registrado. Opcionalmente, los incidentes denunciados (que llegan dondequiera que esté la policía) también alimentan el modelo.&lt;/p&gt;&lt;p&gt;Se ejecuta dos veces, sin y con la corrección de Ensign (un incidente descubierto cuenta 1 / la probabilidad de que su área fuera patrullada ese día), e informa cuán lejos está la asignación final del patrullaje de la distribución real del delito (distancia L1: 0 es correcto, 2 es lo más erróneo posible). Produce las trayectorias diarias, un gráfico y ambos errores.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="91" />
            <source>True incident rates per area per day</source>
            <translation>Tasas reales de incidentes por área y por día</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="94" />
            <source>Days</source>
            <translation>Días</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="97" />
            <source>Patrols per day</source>
            <translation>Patrullas por día</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="102" />
            <source>Where patrols go</source>
            <translation>A dónde van las patrullas</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="105" />
            <source>Model also learns from reported incidents</source>
            <translation>El modelo también aprende de los incidentes denunciados</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="110" />
            <source>Share of incidents reported by the public</source>
            <translation>Proporción de incidentes denunciados por el público</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="110" />
            <source>Share of incidents a patrol discovers</source>
            <translation>Proporción de incidentes que descubre una patrulla</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="110" />
            <source>Exploration (share of patrols sent at random)</source>
            <translation>Exploración (proporción de patrullas enviadas al azar)</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="123" />
            <source>Trajectories</source>
            <translation>Trayectorias</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="131" />
            <source>Final allocation error without correction</source>
            <translation>Error de asignación final sin corrección</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="134" />
            <source>Final allocation error with correction</source>
            <translation>Error de asignación final con corrección</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="151" />
            <source>uncorrected</source>
            <translation>sin corrección</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="151" />
            <source>corrected</source>
            <translation>con corrección</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="179" />
            <source>{}: final patrol shares {} (error {:.3f})</source>
            <translation>{}: proporciones finales de patrullaje {} (error {:.3f})</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="182" />
            <source>true shares {}</source>
            <translation>proporciones reales {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="130" />
            <source>Grid the cube was counted on</source>
            <translation>Cuadrícula con la que se contó el cubo</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="51" />
            <source>Cell covariates (from Cell covariates)</source>
            <translation>Covariables de celda (de Covariables de celda)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="56" />
            <source>Covariates the models may use (empty: every numeric field)</source>
            <translation>Covariables que pueden usar los modelos (vacío: todos los campos numéricos)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="66" />
            <source>Fields prohibited as model inputs (comma separated)</source>
            <translation>Campos prohibidos como entradas del modelo (separados por comas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="72" />
            <source>Calendar: US federal holidays</source>
            <translation>Calendario: feriados federales de EE. UU.</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="75" />
            <source>Past forecasts used to calibrate intervals and weigh the ensemble</source>
            <translation>Pronósticos pasados usados para calibrar intervalos y ponderar el ensamble</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="99" />
            <source>GRID: not a grid made by Build grid (save it in its GeoPackage)</source>
            <translation>GRID: no es una cuadrícula creada con Construir cuadrícula (guárdela en su GeoPackage)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="121" />
            <source>COVARIATES: {} has no cell_id field</source>
            <translation>COVARIATES: {} no tiene campo cell_id</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="127" />
            <source>FEATURES: {} has no field {}</source>
            <translation>FEATURES: {} no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_inputs.py" line="138" />
            <source>COVARIATES: {} cells of the grid have no covariates (first: {})</source>
            <translation>COVARIATES: {} celdas de la cuadrícula no tienen covariables (la primera: {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="31" />
            <source>Next bin of the cube (next shift on a shift cube)</source>
            <translation>Siguiente intervalo del cubo (siguiente turno en un cubo por turnos)</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="23" />
            <source>Next day</source>
            <translation>Día siguiente</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="23" />
            <source>Next week</source>
            <translation>Semana siguiente</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="23" />
            <source>Next 28 days</source>
            <translation>Próximos 28 días</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="62" />
            <source>Forecast risk</source>
            <translation>Pronosticar riesgo</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="75" />
            <source>&lt;p&gt;Forecasts the expected number of incidents in every cell over the next window (the horizon), from a space-time cube. Models: &lt;b&gt;ensemble&lt;/b&gt; (the others weighted by how well they forecast the recent past), &lt;b&gt;boosted&lt;/b&gt; (gradient boosting with Poisson loss on lagged counts, neighbouring counts, cell covariates and the calendar), &lt;b&gt;sepp&lt;/b&gt; (self-exciting point process, Mohler et al. 2015), &lt;b&gt;prospective&lt;/b&gt; (Bowers et al. 2004), &lt;b&gt;kde&lt;/b&gt; (kernel density of the last year), and the naive baselines.&lt;/p&gt;&lt;p&gt;Every forecast has a 90 % interval calibrated on the model's own recent forecasts: negative binomial, its dispersion fitted and its tails tuned so that the randomised PIT of past cells' counts fell inside the central 90 % (Czado et al. 2009). Bounds are whole counts, so they cover at least 90 % of cells (every empty cell whose lower bound is 0).&lt;/p&gt;&lt;p&gt;Outputs: the cells with expected, lower_90, upper_90, rank (1 = highest), percentile, hotspot_zone and an explanation (the boosted model's top features with their effect on the forecast, the SEPP's self-excited share, the ensemble's weights); hotspot zones (the top cells covering HOTSPOT_AREA % of the area, touching cells dissolved, ranked by expected incidents); GeoTIFFs of expected count and interval bounds; a summary table.&lt;/p&gt;&lt;p&gt;Covariate fields prohibited by the policy (race, ethnicity... and any listed in PROHIBITED_FIELDS) are refused as model inputs: choose the FEATURES the models may use.&lt;/p&gt;&lt;p&gt;ORIGIN (a local date) forecasts from inside the cube, to compare with what happened: the cells then also get the observed counts.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Pronostica el número esperado de incidentes en cada celda durante la próxima ventana (el horizonte), a partir de un cubo espacio-temporal. Modelos: &lt;b&gt;ensemble&lt;/b&gt; (los demás, ponderados según lo bien que pronosticaron el pasado reciente), &lt;b&gt;boosted&lt;/b&gt; (gradient boosting con pérdida de Poisson sobre conteos rezagados, conteos vecinos, covariables de celda y el calendario), &lt;b&gt;sepp&lt;/b&gt; (proceso puntual autoexcitado, Mohler et al. 2015), &lt;b&gt;prospective&lt;/b&gt; (Bowers et al. 2004), &lt;b&gt;kde&lt;/b&gt; (densidad kernel del último año), y las líneas base ingenuas.&lt;/p&gt;&lt;p&gt;Cada pronóstico tiene un intervalo del 90 % calibrado con los pronósticos recientes del propio modelo: binomial negativa, con su dispersión ajustada y sus colas afinadas para que el PIT aleatorizado de los conteos pasados de las celdas cayera dentro del 90 % central (Czado et al. 2009). Los límites son conteos enteros, por lo que cubren al menos el 90 % de las celdas (cada celda vacía cuyo límite inferior es 0).&lt;/p&gt;&lt;p&gt;Salidas: las celdas con expected, lower_90, upper_90, rank (1 = el más alto), percentile, hotspot_zone y una explicación (las variables principales del modelo boosted con su efecto sobre el pronóstico, la proporción autoexcitada del SEPP, los pesos del ensamble); zonas de puntos calientes (las celdas principales que cubren el HOTSPOT_AREA % del área, con las celdas contiguas disueltas, ordenadas por incidentes esperados); GeoTIFF del conteo esperado y de los límites del intervalo; una tabla resumen.&lt;/p&gt;&lt;p&gt;Los campos de covariables prohibidos por la política (raza, etnia... y cualquiera indicado en PROHIBITED_FIELDS) se rechazan como entradas del modelo: elija las FEATURES que pueden usar los modelos.&lt;/p&gt;&lt;p&gt;ORIGIN (una fecha local) pronostica desde dentro del cubo, para comparar con lo que ocurrió: las celdas reciben entonces también los conteos observados.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="141" />
            <source>Model</source>
            <translation>Modelo</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="107" />
            <source>Forecast from (local date; empty: the end of the cube)</source>
            <translation>Pronosticar desde (fecha local; vacío: el final del cubo)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="113" />
            <source>Hotspot zones: share of the area (%)</source>
            <translation>Zonas de puntos calientes: proporción del área (%)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="120" />
            <source>Forecast</source>
            <translation>Pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="125" />
            <source>Expected count raster</source>
            <translation>Ráster del conteo esperado</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="125" />
            <source>Lower bound (90 %) raster</source>
            <translation>Ráster del límite inferior (90 %)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="125" />
            <source>Upper bound (90 %) raster</source>
            <translation>Ráster del límite superior (90 %)</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="131" />
            <source>Expected incidents in the window</source>
            <translation>Incidentes esperados en la ventana</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="132" />
            <source>Share of the forecast in hotspot zones</source>
            <translation>Proporción del pronóstico en zonas de puntos calientes</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="392" />
            <source>Hotspot zones</source>
            <translation>Zonas de puntos calientes</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="136" />
            <source>PIT coverage of the 90 % interval on past forecasts</source>
            <translation>Cobertura PIT del intervalo del 90 % en pronósticos pasados</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="142" />
            <source>Hotspot zones layer</source>
            <translation>Capa de zonas de puntos calientes</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="151" />
            <source>ORIGIN: {} is not a date</source>
            <translation>ORIGIN: {} no es una fecha</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="154" />
            <source>ORIGIN: {} is outside the cube ({} to {})</source>
            <translation>ORIGIN: {} está fuera del cubo ({} a {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/forecast_risk.py" line="170" />
            <source>{}: {} cells x {} bins ({}), forecasting {} bin(s) from bin {}</source>
            <translation>{}: {} celdas x {} intervalos ({}), pronosticando {} intervalo(s) desde el intervalo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="42" />
            <source>Hot spots (Getis-Ord Gi*)</source>
            <translation>Puntos calientes (Getis-Ord Gi*)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="53" />
            <source>&lt;p&gt;Getis-Ord Gi* hot and cold spots of a numeric field of cells (incident counts, forecasts, any cell value), as in ArcGIS's Hot Spot Analysis, with the neighbours of your choice: grid contiguity, a distance band or k nearest neighbours. Each cell counts as its own neighbour.&lt;/p&gt;&lt;p&gt;The z-score is the analytic Gi*, valid for negative values. With permutations (999 by default, seeded) significance comes from conditional permutations (each cell's value is kept, the others shuffled) instead of the normal approximation. The &lt;b&gt;false discovery rate&lt;/b&gt; correction (Benjamini-Hochberg) is on by default: on data without any pattern, uncorrected tests flag about 10 % of cells at 90 % confidence by chance.&lt;/p&gt;&lt;p&gt;Fields: gi_z, gi_p (normal), gi_p_sim (pseudo p-value, one-tailed as in PySAL), gi_p_used (what the bins use), gi_bin (-3..3: cold/hot at 99, 95, 90 %), gi_label, n_neighbours. Distances must be in metres: use a projected CRS.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Puntos calientes y fríos Getis-Ord Gi* de un campo numérico de celdas (conteos de incidentes, pronósticos, cualquier valor de celda), como en el Hot Spot Analysis de ArcGIS, con los vecinos que elija: contigüidad de la cuadrícula, una banda de distancia o los k vecinos más cercanos. Cada celda cuenta como su propia vecina.&lt;/p&gt;&lt;p&gt;La puntuación z es el Gi* analítico, válido para valores negativos. Con permutaciones (999 por defecto, con semilla) la significancia proviene de permutaciones condicionales (se conserva el valor de cada celda y se mezclan los demás) en lugar de la aproximación normal. La corrección por &lt;b&gt;tasa de descubrimientos falsos&lt;/b&gt; (Benjamini-Hochberg) está activada por defecto: en datos sin ningún patrón, las pruebas sin corregir señalan por azar alrededor del 10 % de las celdas con un 90 % de confianza.&lt;/p&gt;&lt;p&gt;Campos: gi_z, gi_p (normal), gi_p_sim (pseudo valor p, de una cola como en PySAL), gi_p_used (el que usan las clases), gi_bin (-3..3: frío/caliente al 99, 95, 90 %), gi_label, n_neighbours. Las distancias deben estar en metros: use un SRC proyectado.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="73" />
            <source>Value</source>
            <translation>Valor</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="79" />
            <source>Permutations (0: normal p-values)</source>
            <translation>Permutaciones (0: valores p normales)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="99" />
            <source>Significant hot spot cells</source>
            <translation>Celdas de puntos calientes significativos</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="100" />
            <source>Significant cold spot cells</source>
            <translation>Celdas de puntos fríos significativos</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="105" />
            <source>INPUT: {} is in degrees; use a projected CRS</source>
            <translation>INPUT: {} está en grados; use un SRC proyectado</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="111" />
            <source>{} cells, neighbours: {}</source>
            <translation>{} celdas, vecinos: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="116" />
            <source>With {} permutations no p-value is below {:.4f}; with the FDR correction over {} cells few cells can be significant. Use more permutations or normal p-values (0).</source>
            <translation>Con {} permutaciones ningún valor p es menor que {:.4f}; con la corrección FDR sobre {} celdas pocas celdas pueden ser significativas. Use más permutaciones o valores p normales (0).</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="131" />
            <source>{} cells without a value were counted as 0</source>
            <translation>{} celdas sin valor se contaron como 0</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="34" />
            <source>Neighbours</source>
            <translation>Vecinos</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="39" />
            <source>Distance band (fixed distance)</source>
            <translation>Banda de distancia (distancia fija)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="43" />
            <source>Neighbours (k nearest)</source>
            <translation>Vecinos (k más cercanos)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="52" />
            <source>{}: save the layer as a GeoPackage first (outputs reuse its geometries)</source>
            <translation>{}: guarde primero la capa como GeoPackage (las salidas reutilizan sus geometrías)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="108" />
            <source>FIELD: {} has no field {}</source>
            <translation>FIELD: {} no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="76" />
            <source>Contiguity needs the cells of one BeatCast grid (cell_id like S250_12_34): use a distance band</source>
            <translation>La contigüidad necesita las celdas de una sola cuadrícula de BeatCast (cell_id como S250_12_34): use una banda de distancia</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="49" />
            <source>Import incidents</source>
            <translation>Importar incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="82" />
            <source>&lt;p&gt;Imports incident exports from CAD, RMS and 911 systems (CSV/TSV in any encoding, or any OGR layer: GeoPackage, shapefile, zipped shapefile, GeoJSON) into one clean, deduplicated incident layer in a GeoPackage, in a metric CRS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Every row is accounted for&lt;/b&gt;: rows read = accepted + merged + netted + rejected, per source and in total (the &lt;i&gt;import_accounting&lt;/i&gt; table). Rejected rows go to the &lt;i&gt;rejected_rows&lt;/i&gt; table with the reason and their raw values (personal fields withheld).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fields&lt;/b&gt; (date, time, x/y or lon/lat, category, ID, count, reference to another system's ID, origin) are detected from common names. Override them per source in Field mapping, e.g. &lt;code&gt;rms_reports: date=DateOccurred, time=TimeOccurred, crs=EPSG:32616; calls_911: tz=UTC&lt;/code&gt; (a section without a source name applies to all).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Time&lt;/b&gt;: ISO 8601, M/D/Y H:M, date only, month only and more; each incident records how precisely its time is known and the window in which it may have happened.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Reversals and duplicates&lt;/b&gt;: a row with count -1 nets out the earlier row with the same ID and category. Rows of one system with the same ID and category are merged; rows whose reference field names another system's ID are merged with it; rows of different systems with the same category within the time and distance tolerances are merged. The merged incident keeps every record's &lt;code&gt;source#row:id&lt;/code&gt;.&lt;/p&gt;&lt;p&gt;Rejection reasons:&lt;/p&gt;&lt;ul&gt;{}&lt;/ul&gt;&lt;p&gt;Incident fields:&lt;/p&gt;&lt;ul&gt;{}&lt;/ul&gt;&lt;p&gt;Each run appends a record to the append-only &lt;i&gt;beatcast_run_log&lt;/i&gt; table.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Importa exportaciones de incidentes de sistemas CAD, RMS y 911 (CSV/TSV en cualquier codificación, o cualquier capa OGR: GeoPackage, shapefile, shapefile comprimido en zip, GeoJSON) en una única capa de incidentes limpia y sin duplicados dentro de un GeoPackage, en un SRC métrico.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Se da cuenta de cada fila&lt;/b&gt;: filas leídas = aceptadas + fusionadas + compensadas + rechazadas, por fuente y en total (la tabla &lt;i&gt;import_accounting&lt;/i&gt;). Las filas rechazadas van a la tabla &lt;i&gt;rejected_rows&lt;/i&gt; con el motivo y sus valores originales (sin los campos personales).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Campos&lt;/b&gt; (fecha, hora, x/y o lon/lat, categoría, ID, conteo, referencia al ID de otro sistema, origen) se detectan a partir de nombres habituales. Puede indicarlos por fuente en Asignación de campos, p. ej. &lt;code&gt;rms_reports: date=DateOccurred, time=TimeOccurred, crs=EPSG:32616; calls_911: tz=UTC&lt;/code&gt; (una sección sin nombre de fuente se aplica a todas).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Hora&lt;/b&gt;: ISO 8601, M/D/A H:M, solo fecha, solo mes y más; cada incidente registra con qué precisión se conoce su hora y la ventana en la que pudo haber ocurrido.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Anulaciones y duplicados&lt;/b&gt;: una fila con conteo -1 compensa la fila anterior con el mismo ID y categoría. Las filas de un mismo sistema con el mismo ID y categoría se fusionan; las filas cuyo campo de referencia nombra el ID de otro sistema se fusionan con él; las filas de sistemas distintos con la misma categoría dentro de las tolerancias de tiempo y distancia se fusionan. El incidente fusionado conserva el &lt;code&gt;source#row:id&lt;/code&gt; de cada registro.&lt;/p&gt;&lt;p&gt;Motivos de rechazo:&lt;/p&gt;&lt;ul&gt;{}&lt;/ul&gt;&lt;p&gt;Campos de los incidentes:&lt;/p&gt;&lt;ul&gt;{}&lt;/ul&gt;&lt;p&gt;Cada ejecución añade un registro a la tabla de solo anexado &lt;i&gt;beatcast_run_log&lt;/i&gt;.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="105" />
            <source>Incident export files</source>
            <translation>Archivos de exportación de incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="110" />
            <source>Incident layers</source>
            <translation>Capas de incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="115" />
            <source>Field mapping</source>
            <translation>Asignación de campos</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="118" />
            <source>Per-source overrides: 'source: role=Column, tz=..., crs=EPSG:...; other: ...'</source>
            <translation>Ajustes por fuente: 'fuente: rol=Columna, tz=..., crs=EPSG:...; otra: ...'</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="120" />
            <source>Time zone of local times</source>
            <translation>Zona horaria de las horas locales</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="121" />
            <source>CRS of projected x/y fields</source>
            <translation>SRC de los campos x/y proyectados</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="129" />
            <source>Category mapping table (CSV: source, value, category)</source>
            <translation>Tabla de asignación de categorías (CSV: source, value, category)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="138" />
            <source>Output CRS (default: local UTM zone)</source>
            <translation>SRC de salida (por defecto: zona UTM local)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="141" />
            <source>Category when a source has none</source>
            <translation>Categoría cuando una fuente no tiene ninguna</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="144" />
            <source>Duplicate time tolerance (minutes)</source>
            <translation>Tolerancia de tiempo para duplicados (minutos)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="151" />
            <source>Duplicate distance tolerance (metres)</source>
            <translation>Tolerancia de distancia para duplicados (metros)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="158" />
            <source>Also merge near-identical records of one system</source>
            <translation>Fusionar también registros casi idénticos de un mismo sistema</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="161" />
            <source>Keep incidents from (local date)</source>
            <translation>Conservar incidentes desde (fecha local)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="167" />
            <source>Keep incidents before (local date)</source>
            <translation>Conservar incidentes antes de (fecha local)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="173" />
            <source>Extra fields to keep (comma-separated)</source>
            <translation>Campos adicionales a conservar (separados por comas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="176" />
            <source>Allow personal fields (names, addresses) in outputs</source>
            <translation>Permitir campos personales (nombres, direcciones) en las salidas</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="179" />
            <source>Build the spatial index</source>
            <translation>Construir el índice espacial</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="181" />
            <source>About 20 s per million incidents. QGIS draws and selects faster with it; it can be built later (Layer Properties &gt; Source).</source>
            <translation>Unos 20 s por millón de incidentes. QGIS dibuja y selecciona más rápido con él; puede construirse más tarde (Propiedades de la capa &gt; Fuente).</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="187" />
            <source>Off by default: distinct IDs of one system are distinct incidents. Turn on for 911 call logs.</source>
            <translation>Desactivado por defecto: los IDs distintos de un mismo sistema son incidentes distintos. Actívelo para registros de llamadas al 911.</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="248" />
            <source>Rejected rows</source>
            <translation>Filas rechazadas</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="202" />
            <source>Import accounting</source>
            <translation>Contabilidad de la importación</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="203" />
            <source>Run log</source>
            <translation>Registro de ejecuciones</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="204" />
            <source>Accepted incidents</source>
            <translation>Incidentes aceptados</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="204" />
            <source>Rows merged into another incident</source>
            <translation>Filas fusionadas con otro incidente</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="204" />
            <source>Rows netted by reversals</source>
            <translation>Filas compensadas por anulaciones</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="212" />
            <source>Output CRS</source>
            <translation>SRC de salida</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="219" />
            <source>Give at least one incident file (INPUT_FILES) or layer (INPUT_LAYERS)</source>
            <translation>Indique al menos un archivo (INPUT_FILES) o una capa (INPUT_LAYERS) de incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/import_incidents.py" line="314" />
            <source>Writing {} incidents</source>
            <translation>Escribiendo {} incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="46" />
            <source>Exceedance: p below which a cell alerts</source>
            <translation>Excedencia: p por debajo del cual una celda genera alerta</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="50" />
            <source>CUSUM: share of cells allowed to alarm when the forecast is right</source>
            <translation>CUSUM: proporción de celdas que pueden dar alarma cuando el pronóstico es correcto</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="54" />
            <source>New clusters: significance level (FDR)</source>
            <translation>Nuevos conglomerados: nivel de significancia (FDR)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="55" />
            <source>Feature shift: PSI above which to refresh</source>
            <translation>Cambio en las variables: PSI por encima del cual actualizar</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="56" />
            <source>Skill: refresh when PAI falls below this share of the baseline</source>
            <translation>Desempeño: actualizar cuando el PAI cae por debajo de esta proporción de la línea base</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="60" />
            <source>Refresh when more than this share of cells alert</source>
            <translation>Actualizar cuando más de esta proporción de celdas genere alerta</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="71" />
            <source>{}: {} is not a date</source>
            <translation>{}: {} no es una fecha</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="84" />
            <source>Monitor drift</source>
            <translation>Monitorear la deriva</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="94" />
            <source>&lt;p&gt;Compares what arrived since a forecast's origin with what the forecast expected, cell by cell, and says whether the forecast should be refreshed.&lt;/p&gt;&lt;p&gt;The forecast's expected count over [FORECAST_FROM, FORECAST_TO) (read from the forecast's summary table when left empty) is spread evenly over the cube's bins in that span. The recent window is the cube's bins from FORECAST_FROM up to UNTIL or the last bin with data, and never past FORECAST_TO.&lt;/p&gt;&lt;p&gt;Three tests per cell: the window total's Poisson exceedance p; an upper CUSUM of the standardised residuals per bin, its decision interval h calibrated by simulation so that about CUSUM_FALSE_ALARM_RATE of the cells alarm when the forecast is right; and a new cluster: the cells within NEIGHBOUR_DISTANCE saw significantly more than expected (Poisson tail of their summed counts, Benjamini-Hochberg at GI_ALPHA; the question Gi* asks, without its normal approximation, which fails on sparse counts; the forecast's top 5 % cells are known, not new). Severity = the number of tests fired (3 when p is 100 times below EXCEEDANCE_P).&lt;/p&gt;&lt;p&gt;Feature shift (PSI): the models' lag features, i.e. per-cell counts in the recent window against per-cell counts in as many bins just before FORECAST_FROM (scaled to the same length when fewer exist); and, on a daily cube whose GeoPackage holds a time_covariates table, each numeric signal (not the calendar) in the recent bins against the 365 days before. Skill: when the forecast or cube GeoPackage holds a backtest_periods table, the window's PAI (5 % of the area) against that backtest's mean PAI (the forecast's model, else the best model).&lt;/p&gt;&lt;p&gt;Refresh when more than REFRESH_SHARE of the cells alert, a feature's PSI exceeds PSI_MAX, or the PAI fell below SKILL_TOLERANCE of the baseline. Outputs: drift_alerts (cells with severity &gt;= 1 and their evidence), drift_areas (per value of the grid's label field), drift_features (PSI) and drift_summary.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Compara lo que llegó desde el origen de un pronóstico con lo que el pronóstico esperaba, celda por celda, e indica si el pronóstico debe actualizarse.&lt;/p&gt;&lt;p&gt;El conteo esperado del pronóstico sobre [FORECAST_FROM, FORECAST_TO) (leído de la tabla resumen del pronóstico si se deja vacío) se reparte uniformemente entre los intervalos del cubo de ese lapso. La ventana reciente son los intervalos del cubo desde FORECAST_FROM hasta UNTIL o el último intervalo con datos, y nunca más allá de FORECAST_TO.&lt;/p&gt;&lt;p&gt;Tres pruebas por celda: el p de excedencia de Poisson del total de la ventana; un CUSUM superior de los residuos estandarizados por intervalo, con su intervalo de decisión h calibrado por simulación para que aproximadamente CUSUM_FALSE_ALARM_RATE de las celdas den alarma cuando el pronóstico es correcto; y un nuevo conglomerado: las celdas dentro de NEIGHBOUR_DISTANCE registraron significativamente más de lo esperado (cola de Poisson de sus conteos sumados, Benjamini-Hochberg a GI_ALPHA; la pregunta que plantea Gi*, sin su aproximación normal, que falla con conteos escasos; el 5 % de celdas principales del pronóstico son conocidas, no nuevas). Severidad = el número de pruebas activadas (3 cuando p es 100 veces menor que EXCEEDANCE_P).&lt;/p&gt;&lt;p&gt;Cambio en las variables (PSI): las variables rezagadas de los modelos, es decir, los conteos por celda en la ventana reciente frente a los conteos por celda en el mismo número de intervalos justo antes de FORECAST_FROM (escalados a la misma duración cuando hay menos); y, en un cubo diario cuyo GeoPackage contiene una tabla time_covariates, cada señal numérica (no el calendario) en los intervalos recientes frente a los 365 días anteriores. Desempeño: cuando el GeoPackage del pronóstico o del cubo contiene una tabla backtest_periods, el PAI de la ventana (5 % del área) frente al PAI medio de esa validación retrospectiva (el modelo del pronóstico, o si no el mejor modelo).&lt;/p&gt;&lt;p&gt;Actualizar cuando más de REFRESH_SHARE de las celdas generan alerta, el PSI de una variable supera PSI_MAX, o el PAI cayó por debajo de SKILL_TOLERANCE de la línea base. Salidas: drift_alerts (celdas con severidad &gt;= 1 y su evidencia), drift_areas (por valor del campo de etiqueta de la cuadrícula), drift_features (PSI) y drift_summary.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="135" />
            <source>Forecast cells (from Forecast risk)</source>
            <translation>Celdas de pronóstico (de Pronosticar riesgo)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="140" />
            <source>Expected count field (empty: expected)</source>
            <translation>Campo de conteo esperado (vacío: expected)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="147" />
            <source>Forecast from (local; empty: from the forecast's summary)</source>
            <translation>Pronóstico desde (local; vacío: según el resumen del pronóstico)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="147" />
            <source>Forecast to (local; empty: from the forecast's summary)</source>
            <translation>Pronóstico hasta (local; vacío: según el resumen del pronóstico)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="147" />
            <source>Observed until (local, exclusive; empty: the last bin with data)</source>
            <translation>Observado hasta (local, exclusivo; vacío: el último intervalo con datos)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="158" />
            <source>CUSUM: negative binomial dispersion (empty: the forecast's calibrated one, else 0)</source>
            <translation>CUSUM: dispersión binomial negativa (vacío: la calibrada del pronóstico, o si no 0)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="165" />
            <source>New clusters: neighbourhood (m; 0: 2.5 x the cell size)</source>
            <translation>Nuevos conglomerados: vecindad (m; 0: 2.5 x el tamaño de celda)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="171" />
            <source>Areas: grid label field (empty: the grid's first label field)</source>
            <translation>Áreas: campo de etiqueta de la cuadrícula (vacío: el primer campo de etiqueta de la cuadrícula)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="180" />
            <source>Drift alerts</source>
            <translation>Alertas de deriva</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="185" />
            <source>Cells alerting (severity &gt;= 1)</source>
            <translation>Celdas en alerta (severidad &gt;= 1)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="186" />
            <source>Highest severity</source>
            <translation>Severidad máxima</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="187" />
            <source>Refresh the forecast (1 = yes)</source>
            <translation>Actualizar el pronóstico (1 = sí)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="188" />
            <source>Reasons to refresh</source>
            <translation>Motivos para actualizar</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="189" />
            <source>Alerts per area table</source>
            <translation>Tabla de alertas por área</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="200" />
            <source>FORECAST: {} has no field {}</source>
            <translation>FORECAST: {} no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="211" />
            <source>FORECAST: its cell ids do not match the grid ({} grid cells missing, {} unknown cells; first missing: {}): forecast on the same grid as the cube</source>
            <translation>FORECAST: sus ids de celda no coinciden con la cuadrícula ({} celdas de la cuadrícula faltantes, {} celdas desconocidas; primera faltante: {}): pronostique sobre la misma cuadrícula que el cubo</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="219" />
            <source>FORECAST: {} must be numbers &gt;= 0 in every cell</source>
            <translation>FORECAST: {} deben ser números &gt;= 0 en cada celda</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="236" />
            <source>{}: empty, and the forecast has no summary table with '{}': give it</source>
            <translation>{}: vacío, y el pronóstico no tiene tabla resumen con '{}': indíquelo</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="243" />
            <source>FORECAST_TO: {} is not after FORECAST_FROM {}</source>
            <translation>FORECAST_TO: {} no es posterior a FORECAST_FROM {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="261" />
            <source>UNTIL: {} leaves no observed bin after FORECAST_FROM {} (the window would be empty)</source>
            <translation>UNTIL: {} no deja ningún intervalo observado después de FORECAST_FROM {} (la ventana quedaría vacía)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="267" />
            <source>FORECAST_FROM: no observed bin of the cube from {} (the cube has data until {})</source>
            <translation>FORECAST_FROM: ningún intervalo observado del cubo desde {} (el cubo tiene datos hasta {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="295" />
            <source>lag features: no bins before FORECAST_FROM, skipped</source>
            <translation>variables rezagadas: ningún intervalo antes de FORECAST_FROM, omitido</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="297" />
            <source>lag features: per-cell counts in {} bins vs the {} bins before</source>
            <translation>variables rezagadas: conteos por celda en {} intervalos frente a los {} intervalos anteriores</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="302" />
            <source>time covariates: no {} table in the cube GeoPackage, skipped</source>
            <translation>covariables temporales: no hay tabla {} en el GeoPackage del cubo, omitido</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="308" />
            <source>time covariates: compared on daily cubes only ({} cube), skipped</source>
            <translation>covariables temporales: solo se comparan en cubos diarios (cubo de {}), omitido</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="318" />
            <source>time covariates: no numeric signal to compare, skipped</source>
            <translation>covariables temporales: ninguna señal numérica que comparar, omitido</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="327" />
            <source>time covariates: {} in {} recent bins vs the {} bins before</source>
            <translation>covariables temporales: {} en {} intervalos recientes frente a los {} intervalos anteriores</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="343" />
            <source>skill: baseline PAI {:.3g} = mean pai@5 of {} in {}</source>
            <translation>desempeño: PAI de línea base {:.3g} = pai@5 medio de {} en {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="346" />
            <source>skill: no {} table in the forecast or cube GeoPackage, skipped</source>
            <translation>desempeño: no hay tabla {} en el GeoPackage del pronóstico ni del cubo, omitido</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="353" />
            <source>CUSUM dispersion {:.4g} (DISPERSION)</source>
            <translation>Dispersión del CUSUM {:.4g} (DISPERSION)</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="356" />
            <source>CUSUM dispersion 0 (Poisson): the forecast has no calibrated dispersion</source>
            <translation>Dispersión del CUSUM 0 (Poisson): el pronóstico no tiene dispersión calibrada</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="358" />
            <source>CUSUM dispersion {:.4g}, the forecast's calibrated negative binomial</source>
            <translation>Dispersión del CUSUM {:.4g}, la binomial negativa calibrada del pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="363" />
            <source>AREA_FIELD: the grid has no label field {}</source>
            <translation>AREA_FIELD: la cuadrícula no tiene el campo de etiqueta {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="379" />
            <source>Recent window: {} bins ({}), {:.1%} of the forecast span</source>
            <translation>Ventana reciente: {} intervalos ({}), {:.1%} del lapso del pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="473" />
            <source>{} of {} cells alert (highest severity {}), CUSUM h {:.3g}: {}</source>
            <translation>{} de {} celdas en alerta (severidad máxima {}), h del CUSUM {:.3g}: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="473" />
            <source>refresh the forecast</source>
            <translation>actualizar el pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="473" />
            <source>the forecast still holds</source>
            <translation>el pronóstico sigue siendo válido</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="29" />
            <source>SHIFT_START: {} is not a time of day HH:MM</source>
            <translation>SHIFT_START: {} no es una hora del día HH:MM</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="71" />
            <source>DISTRICT_FIELD: the layer has no field {}</source>
            <translation>DISTRICT_FIELD: la capa no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="86" />
            <source>SPEED_FIELD: the road layer has no field {}</source>
            <translation>SPEED_FIELD: la capa de calles no tiene el campo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="101" />
            <source>ROADS: the layer has no line</source>
            <translation>ROADS: la capa no tiene ninguna línea</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="114" />
            <source>FIELD: feature {} has no valid expected count ({})</source>
            <translation>FIELD: la entidad {} no tiene un conteo esperado válido ({})</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="126" />
            <source>Forecast cells</source>
            <translation>Celdas de pronóstico</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_inputs.py" line="129" />
            <source>Expected incidents field</source>
            <translation>Campo de incidentes esperados</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="161" />
            <source>Patrol plan</source>
            <translation>Plan de patrullaje</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="68" />
            <source>&lt;p&gt;Turns a forecast into a shift's patrol plan: which zones each unit visits, in what order and for how long.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Zones&lt;/b&gt;: the CANDIDATES cells with the highest forecast (touching ones merged into one zone when MERGE is on). A mixed-integer program (HiGHS, through scipy) chooses the zones that capture the most expected incidents subject to: at most MAX_ZONES zones (0: as many as the units can dwell on), at least MIN_PER_DISTRICT and at most MAX_PER_DISTRICT per district, none whose cells lie in EXCLUDED areas. When the constraints cannot all hold, the message names the one that cannot be met.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Routes&lt;/b&gt;: OR-Tools' routing solver assigns the chosen zones to the units (each starts and ends at a station; units are spread over the stations in turn) and orders the visits within the shift: travel on the road network (ROADS, speeds from SPEED_FIELD or DEFAULT_SPEED) or, without roads, straight lines at DEFAULT_SPEED; DWELL_MINUTES per visit (15: the Koper curve); VISITS_PER_ZONE visits at least MIN_REVISIT_MINUTES apart. Visits that do not fit are dropped, least valuable first.&lt;/p&gt;&lt;p&gt;Outputs: ranked zone polygons (expected incidents, unit, visit times), one route line per unit (stops in visit order, straight lines between them), the schedule table, and the captured expected incidents, their share of the whole forecast, the MILP upper bound, and total travel and dwell minutes.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Policy&lt;/b&gt;: the policy file (POLICY; empty: the shipped core/default_policy.json) fills SHIFT_MINUTES, DWELL_MINUTES, MIN_PER_DISTRICT and EXPOSURE_CAP when they are left empty. A value looser than the policy (fewer zones per district, a higher cap, no cap when the policy sets one) is refused, naming the rule. The run log keeps the policy file, its SHA-256 and its rules.&lt;/p&gt;&lt;p&gt;Needs OR-Tools in QGIS's Python: pip install --no-deps ortools absl-py immutabledict protobuf.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Convierte un pronóstico en el plan de patrullaje de un turno: qué zonas visita cada unidad, en qué orden y durante cuánto tiempo.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Zonas&lt;/b&gt;: las CANDIDATES celdas con el pronóstico más alto (las contiguas se fusionan en una sola zona cuando MERGE está activado). Un programa entero mixto (HiGHS, a través de scipy) elige las zonas que capturan más incidentes esperados sujeto a: como máximo MAX_ZONES zonas (0: tantas como las unidades puedan cubrir con su permanencia), al menos MIN_PER_DISTRICT y como máximo MAX_PER_DISTRICT por distrito, ninguna cuyas celdas estén en áreas EXCLUDED. Cuando no se pueden cumplir todas las restricciones, el mensaje nombra la que no puede cumplirse.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Rutas&lt;/b&gt;: el solucionador de rutas de OR-Tools asigna las zonas elegidas a las unidades (cada una sale y vuelve a una estación; las unidades se reparten entre las estaciones por turnos) y ordena las visitas dentro del turno: desplazamiento por la red vial (ROADS, velocidades de SPEED_FIELD o DEFAULT_SPEED) o, sin calles, en línea recta a DEFAULT_SPEED; DWELL_MINUTES por visita (15: la curva de Koper); VISITS_PER_ZONE visitas separadas al menos MIN_REVISIT_MINUTES. Las visitas que no caben se descartan, empezando por las de menor valor.&lt;/p&gt;&lt;p&gt;Salidas: polígonos de zonas ordenados por prioridad (incidentes esperados, unidad, horas de visita), una línea de ruta por unidad (paradas en orden de visita, líneas rectas entre ellas), la tabla del horario, y los incidentes esperados capturados, su proporción respecto de todo el pronóstico, la cota superior del MILP, y los minutos totales de desplazamiento y de permanencia.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Política&lt;/b&gt;: el archivo de política (POLICY; vacío: el core/default_policy.json incluido) completa SHIFT_MINUTES, DWELL_MINUTES, MIN_PER_DISTRICT y EXPOSURE_CAP cuando se dejan vacíos. Un valor más laxo que la política (menos zonas por distrito, un límite más alto, ningún límite cuando la política fija uno) se rechaza, nombrando la regla. El registro de ejecuciones guarda el archivo de política, su SHA-256 y sus reglas.&lt;/p&gt;&lt;p&gt;Requiere OR-Tools en el Python de QGIS: pip install --no-deps ortools absl-py immutabledict protobuf.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="97" />
            <source>Candidate cells (highest forecast)</source>
            <translation>Celdas candidatas (pronóstico más alto)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="98" />
            <source>Merge touching candidate cells</source>
            <translation>Fusionar celdas candidatas contiguas</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="101" />
            <source>Stations (depots)</source>
            <translation>Estaciones (bases)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="106" />
            <source>Units</source>
            <translation>Unidades</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="107" />
            <source>Shift start (HH:MM)</source>
            <translation>Inicio del turno (HH:MM)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="108" />
            <source>Shift minutes (empty: the policy's, 480)</source>
            <translation>Minutos del turno (vacío: los de la política, 480)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="109" />
            <source>Minutes per visit (empty: the policy's, 15)</source>
            <translation>Minutos por visita (vacío: los de la política, 15)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="110" />
            <source>Visits per zone</source>
            <translation>Visitas por zona</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="111" />
            <source>Minimum minutes between visits to a zone</source>
            <translation>Minutos mínimos entre visitas a una zona</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="112" />
            <source>Road network (empty: straight lines)</source>
            <translation>Red vial (vacío: líneas rectas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="120" />
            <source>Road speed field (km/h)</source>
            <translation>Campo de velocidad de las calles (km/h)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="124" />
            <source>Default speed (km/h)</source>
            <translation>Velocidad por defecto (km/h)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="129" />
            <source>Join roads where they cross without a shared vertex</source>
            <translation>Unir calles donde se cruzan sin un vértice compartido</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="143" />
            <source>At least this many zones per district (empty: policy's)</source>
            <translation>Al menos este número de zonas por distrito (vacío: el de la política)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="146" />
            <source>At most this many zones per district (0: no limit)</source>
            <translation>Como máximo este número de zonas por distrito (0: sin límite)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="147" />
            <source>At most this many zones (0: what the units can dwell on)</source>
            <translation>Como máximo este número de zonas (0: las que las unidades puedan cubrir)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="148" />
            <source>Excluded areas</source>
            <translation>Áreas excluidas</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="153" />
            <source>Fairness: </source>
            <translation>Equidad: </translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="154" />
            <source>Fairness: every group's exposure ratio at most (empty: the policy's; 0: no cap)</source>
            <translation>Equidad: razón de exposición máxima de cada grupo (vacío: la de la política; 0: sin límite)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="159" />
            <source>Routing search time (seconds)</source>
            <translation>Tiempo de búsqueda de rutas (segundos)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="166" />
            <source>Routes layer</source>
            <translation>Capa de rutas</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="167" />
            <source>Schedule table</source>
            <translation>Tabla del horario</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Expected incidents in visited zones</source>
            <translation>Incidentes esperados en las zonas visitadas</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Share of the forecast in visited zones</source>
            <translation>Proporción del pronóstico en las zonas visitadas</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Upper bound on the expected incidents any plan can capture</source>
            <translation>Cota superior de los incidentes esperados que puede capturar cualquier plan</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Total travel minutes</source>
            <translation>Minutos totales de desplazamiento</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Total dwell minutes</source>
            <translation>Minutos totales de permanencia</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Zones visited</source>
            <translation>Zonas visitadas</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="168" />
            <source>Worst group exposure ratio of the plan (with AREAS)</source>
            <translation>Peor razón de exposición de un grupo en el plan (con AREAS)</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="188" />
            <source>FORECAST: {} is in degrees; use a forecast on a metric grid</source>
            <translation>FORECAST: {} está en grados; use un pronóstico sobre una cuadrícula métrica</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="207" />
            <source>STATIONS: the layer has no point</source>
            <translation>STATIONS: la capa no tiene ningún punto</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="216" />
            <source>MIN_PER_DISTRICT/MAX_PER_DISTRICT (or the policy's patrol.min_zones_per_district = {}) need DISTRICTS and DISTRICT_FIELD</source>
            <translation>MIN_PER_DISTRICT/MAX_PER_DISTRICT (o la regla patrol.min_zones_per_district = {} de la política) requieren DISTRICTS y DISTRICT_FIELD</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="220" />
            <source>{} candidate zones, {} units from {} stations, travel: {}</source>
            <translation>{} zonas candidatas, {} unidades desde {} estaciones, desplazamiento: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="263" />
            <source>captured {:.2f} expected incidents ({:.1%} of the forecast; upper bound {:.2f}); travel {:.0f} min, dwell {:.0f} min</source>
            <translation>capturados {:.2f} incidentes esperados ({:.1%} del pronóstico; cota superior {:.2f}); desplazamiento {:.0f} min, permanencia {:.0f} min</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="272" />
            <source>Patrol routes</source>
            <translation>Rutas de patrullaje</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="309" />
            <source>an exposure cap of {:g} ({}) needs AREAS and GROUP_FIELDS</source>
            <translation>un límite de exposición de {:g} ({}) requiere AREAS y GROUP_FIELDS</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="309" />
            <source>the policy rule patrol.exposure_ratio_cap of {}</source>
            <translation>la regla patrol.exposure_ratio_cap de la política, de {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="338" />
            <source>group {}: exposure ratio {:.3f}</source>
            <translation>grupo {}: razón de exposición {:.3f}</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="366" />
            <source>straight lines at {:g} km/h</source>
            <translation>líneas rectas a {:g} km/h</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="375" />
            <source>the road network has {} unconnected parts</source>
            <translation>la red vial tiene {} partes sin conexión</translation>
        </message>
        <message>
            <location filename="../processing_provider/patrol_plan.py" line="376" />
            <source>road network of {} nodes</source>
            <translation>red vial de {} nodos</translation>
        </message>
        <message>
            <location filename="../processing_provider/policy_inputs.py" line="16" />
            <source>Policy file (empty: BeatCast defaults)</source>
            <translation>Archivo de política (vacío: valores por defecto de BeatCast)</translation>
        </message>
        <message>
            <location filename="../processing_provider/policy_inputs.py" line="50" />
            <source>{}: not a number: {}</source>
            <translation>{}: no es un número: {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/provider.py" line="66" />
            <source>Could not load the model {}</source>
            <translation>No se pudo cargar el modelo {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/provider.py" line="90" />
            <source>BeatCast predictive crime hotspot analysis</source>
            <translation>BeatCast: análisis predictivo de puntos calientes delictivos</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="166" />
            <source>Time covariates</source>
            <translation>Covariables temporales</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="108" />
            <source>&lt;p&gt;Joins signals that change over time to the time bins of a space-time cube, so the models can use them: tables of city-wide series (weather, transit ridership, traffic counts: a date or date-time column and numeric columns), calendar features (day of week, month, weekend, holidays) and events with a time span (games, concerts, protests).&lt;/p&gt;&lt;p&gt;A daily value at hourly bins is repeated (mean, max, min) or split by overlap (sum: set &lt;i&gt;How to combine&lt;/i&gt;, e.g. &lt;code&gt;precip_mm=sum&lt;/code&gt;). &lt;b&gt;Missing values are not filled&lt;/b&gt;: the bin stays empty and the log and the MISSING output say, per field, how many bins lack a value.&lt;/p&gt;&lt;p&gt;Located events (points or polygons) also give a cube of events active per cell and bin (stored beside the output as &lt;i&gt;&amp;lt;output&amp;gt;.&amp;lt;cube name&amp;gt;_events.cube.npz&lt;/i&gt;); the table counts events active in each bin city-wide.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Une señales que cambian con el tiempo a los intervalos de tiempo de un cubo espacio-temporal, para que los modelos puedan usarlas: tablas de series de toda la ciudad (clima, número de pasajeros del transporte público, conteos de tránsito: una columna de fecha o fecha-hora y columnas numéricas), variables de calendario (día de la semana, mes, fin de semana, feriados) y eventos con una duración (partidos, conciertos, protestas).&lt;/p&gt;&lt;p&gt;Un valor diario en intervalos horarios se repite (mean, max, min) o se reparte según el solapamiento (sum: configure &lt;i&gt;Cómo combinar&lt;/i&gt;, p. ej. &lt;code&gt;precip_mm=sum&lt;/code&gt;). &lt;b&gt;Los valores faltantes no se rellenan&lt;/b&gt;: el intervalo queda vacío y el registro y la salida MISSING indican, por campo, cuántos intervalos carecen de valor.&lt;/p&gt;&lt;p&gt;Los eventos localizados (puntos o polígonos) también producen un cubo de eventos activos por celda e intervalo (guardado junto a la salida como &lt;i&gt;&amp;lt;output&amp;gt;.&amp;lt;cube name&amp;gt;_events.cube.npz&lt;/i&gt;); la tabla cuenta los eventos activos en cada intervalo en toda la ciudad.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="127" />
            <source>Signal tables (CSV)</source>
            <translation>Tablas de señales (CSV)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="132" />
            <source>Time column of the tables</source>
            <translation>Columna de tiempo de las tablas</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="135" />
            <source>How to combine (column=sum|mean|max|min)</source>
            <translation>Cómo combinar (columna=sum|mean|max|min)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="140" />
            <source>Events (start and end fields)</source>
            <translation>Eventos (campos de inicio y fin)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="145" />
            <source>Grid (for located events)</source>
            <translation>Cuadrícula (para eventos localizados)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="150" />
            <source>Event weight field (e.g. attendance)</source>
            <translation>Campo de peso del evento (p. ej. asistencia)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="155" />
            <source>Point events reach (metres)</source>
            <translation>Alcance de los eventos puntuales (metros)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="160" />
            <source>US federal holidays</source>
            <translation>Feriados federales de EE. UU.</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="161" />
            <source>Other holidays (YYYY-MM-DD, comma-separated)</source>
            <translation>Otros feriados (AAAA-MM-DD, separados por comas)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="171" />
            <source>Missing values per field (JSON)</source>
            <translation>Valores faltantes por campo (JSON)</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="172" />
            <source>Events cube file</source>
            <translation>Archivo del cubo de eventos</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="205" />
            <source>{}: {} bins have no value of {} (left empty, first {})</source>
            <translation>{}: {} intervalos no tienen valor de {} (se dejan vacíos, el primero {})</translation>
        </message>
        <message>
            <location filename="../processing_provider/time_covariates.py" line="263" />
            <source>GRID: not the grid the cube was counted on</source>
            <translation>GRID: no es la cuadrícula con la que se contó el cubo</translation>
        </message>
        <message>
            <location filename="../ui/chain.py" line="97" />
            <source>Canceled</source>
            <translation>Cancelado</translation>
        </message>
        <message>
            <location filename="../ui/chain.py" line="70" />
            <source>{} steps done</source>
            <translation>{} pasos completados</translation>
        </message>
        <message>
            <location filename="../ui/chain.py" line="78" />
            <source>Algorithm {} is not available</source>
            <translation>El algoritmo {} no está disponible</translation>
        </message>
        <message>
            <location filename="../ui/chain.py" line="97" />
            <source>{} failed: {}</source>
            <translation>{} falló: {}</translation>
        </message>
        <message>
            <location filename="../ui/docks.py" line="19" />
            <source>BeatCast model runs</source>
            <translation>BeatCast: ejecuciones de modelos</translation>
        </message>
        <message>
            <location filename="../ui/docks.py" line="20" />
            <source>BeatCast parameter review</source>
            <translation>BeatCast: revisión de parámetros</translation>
        </message>
        <message>
            <location filename="../ui/docks.py" line="21" />
            <source>BeatCast map pack export</source>
            <translation>BeatCast: exportación del paquete de mapas</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="272" />
            <source>BeatCast watch</source>
            <translation>BeatCast: vigilancia</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="38" />
            <source>Map pack export</source>
            <translation>Exportación del paquete de mapas</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="73" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="71" />
            <source>No decision: only a draft can be exported</source>
            <translation>Sin decisión: solo se puede exportar un borrador</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="73" />
            <source>Approved by {} at {} UTC</source>
            <translation>Aprobado por {} el {} UTC</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="77" />
            <source>Approved by {}, but the plan changed since: draft only</source>
            <translation>Aprobado por {}, pero el plan cambió desde entonces: solo borrador</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="79" />
            <source>{} by {}: draft only</source>
            <translation>{} por {}: solo borrador</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="102" />
            <source>Choose a GeoPackage holding a patrol plan run</source>
            <translation>Elija un GeoPackage que contenga una ejecución de plan de patrullaje</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="104" />
            <source>Choose the districts layer and its name field</source>
            <translation>Elija la capa de distritos y su campo de nombre</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="106" />
            <source>The plan is not approved (or changed since its approval): approve it in the review dock, or tick 'Export as draft'</source>
            <translation>El plan no está aprobado (o cambió desde su aprobación): apruébelo en el panel de revisión, o marque 'Exportar como borrador'</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="162" />
            <source>BeatCast</source>
            <translation>BeatCast</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="137" />
            <source>{} pages written to {}</source>
            <translation>{} páginas escritas en {}</translation>
        </message>
        <message>
            <location filename="../ui/export.py" line="138" />
            <source>Map pack</source>
            <translation>Paquete de mapas</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="37" />
            <source>Model runs</source>
            <translation>Ejecuciones de modelos</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="55" />
            <source>Time (UTC)</source>
            <translation>Hora (UTC)</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="51" />
            <source>Algorithm</source>
            <translation>Algoritmo</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="51" />
            <source>Key parameters</source>
            <translation>Parámetros principales</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="51" />
            <source>User</source>
            <translation>Usuario</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="84" />
            <source>All categories</source>
            <translation>Todas las categorías</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="101" />
            <source>Choose an incidents layer and a grid made by Build grid</source>
            <translation>Elija una capa de incidentes y una cuadrícula creada con Construir cuadrícula</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="127" />
            <source>Choose a stations layer for the patrol plan</source>
            <translation>Elija una capa de estaciones para el plan de patrullaje</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="149" />
            <source>Running: {}</source>
            <translation>Ejecutando: {}</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="170" />
            <source>Forecast {} done: {:.1f} expected incidents, {} hotspot zones</source>
            <translation>Pronóstico {} completado: {:.1f} incidentes esperados, {} zonas de puntos calientes</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="200" />
            <source>Select a run in the table first</source>
            <translation>Seleccione primero una ejecución en la tabla</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="210" />
            <source>This run left no layer to open</source>
            <translation>Esta ejecución no dejó ninguna capa que abrir</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="37" />
            <source>  (current tables)</source>
            <translation>  (tablas actuales)</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="49" />
            <source>Parameter review</source>
            <translation>Revisión de parámetros</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="55" />
            <source>Decision</source>
            <translation>Decisión</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="55" />
            <source>By</source>
            <translation>Por</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="55" />
            <source>Rationale</source>
            <translation>Justificación</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="55" />
            <source>Plan run</source>
            <translation>Ejecución del plan</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="55" />
            <source>Plan changed</source>
            <translation>Plan modificado</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="80" />
            <source>Choose a GeoPackage holding a patrol plan (beatcast:patrolplan) run.</source>
            <translation>Elija un GeoPackage que contenga una ejecución de plan de patrullaje (beatcast:patrolplan).</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="101" />
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="101" />
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="108" />
            <source>No decision yet</source>
            <translation>Aún no hay decisión</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="110" />
            <source> (plan changed since)</source>
            <translation> (el plan cambió desde entonces)</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="111" />
            <source>In force: {} by {}{}</source>
            <translation>Vigente: {} por {}{}</translation>
        </message>
        <message>
            <location filename="../ui/review.py" line="133" />
            <source>Plan {} by {}: recorded in the run log</source>
            <translation>Plan {} por {}: registrado en el registro de ejecuciones</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="107" />
            <source>policy file</source>
            <translation>archivo de política</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="108" />
            <source>policy sha256</source>
            <translation>sha256 de la política</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="122" />
            <source>No import run found in these GeoPackages.</source>
            <translation>No se encontró ninguna ejecución de importación en estos GeoPackages.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="137" />
            <source>No backtest run: the models were not compared with the baselines.</source>
            <translation>Sin validación retrospectiva: los modelos no se compararon con las líneas base.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="141" />
            <source>The backtest summary table {}_summary is missing.</source>
            <translation>Falta la tabla resumen de la validación retrospectiva {}_summary.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="149" />
            <source>No forecast run found.</source>
            <translation>No se encontró ninguna ejecución de pronóstico.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="160" />
            <source>The forecast tables are missing.</source>
            <translation>Faltan las tablas del pronóstico.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="166" />
            <source>No bias audit run: the plan's exposure by group was not audited.</source>
            <translation>Sin auditoría de sesgo: no se auditó la exposición del plan por grupo.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="173" />
            <source>No flag raised.</source>
            <translation>No se emitió ninguna señal.</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="186" />
            <source>Patrol plan run {} ({} UTC, plugin {})</source>
            <translation>Ejecución del plan de patrullaje {} ({} UTC, complemento {})</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>GeoPackages read</source>
            <translation>GeoPackages leídos</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>Patrol plan summary</source>
            <translation>Resumen del plan de patrullaje</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>Parameters</source>
            <translation>Parámetros</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>Data coverage</source>
            <translation>Cobertura de los datos</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>Backtest against the baselines</source>
            <translation>Validación retrospectiva frente a las líneas base</translation>
        </message>
        <message>
            <location filename="../ui/review_report.py" line="189" />
            <source>Top features and model</source>
            <translation>Variables principales y modelo</translation>
        </message>
        <message>
            <location filename="../ui/run_history.py" line="109" />
            <source>{} ({})</source>
            <translation>{} ({})</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="38" />
            <source>Drift alerts {}</source>
            <translation>Alertas de deriva {}</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="61" />
            <source>Watch</source>
            <translation>Vigilancia</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="94" />
            <source>Choose the incident store (a GeoPackage from Import incidents)</source>
            <translation>Elija el almacén de incidentes (un GeoPackage de Importar incidentes)</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="99" />
            <source>Choose the grid and the forecast cells (from Forecast risk)</source>
            <translation>Elija la cuadrícula y las celdas de pronóstico (de Pronosticar riesgo)</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="130" />
            <source>Watching {} every {} min</source>
            <translation>Vigilando {} cada {} min</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="137" />
            <source>Stopped watching</source>
            <translation>Vigilancia detenida</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="157" />
            <source>Check skipped: the previous check is still running</source>
            <translation>Comprobación omitida: la comprobación anterior sigue en curso</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="171" />
            <source>no export files in the folder</source>
            <translation>no hay archivos de exportación en la carpeta</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="181" />
            <source>Checking...</source>
            <translation>Comprobando...</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="187" />
            <source>check canceled during the append</source>
            <translation>comprobación cancelada durante la adición</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="187" />
            <source>append failed: {}</source>
            <translation>la adición falló: {}</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="209" />
            <source>{}; check canceled during the re-score</source>
            <translation>{}; comprobación cancelada durante la nueva evaluación</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="209" />
            <source>{}; re-score failed: {}</source>
            <translation>{}; la nueva evaluación falló: {}</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="222" />
            <source>; refresh the forecast</source>
            <translation>; actualice el pronóstico</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="226" />
            <source> (unchanged: no alert)</source>
            <translation> (sin cambios: ninguna alerta)</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="244" />
            <source>; refresh the forecast ({})</source>
            <translation>; actualice el pronóstico ({})</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="253" />
            <source>Show alerts</source>
            <translation>Mostrar alertas</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="266" />
            <source>Last check {}: {}</source>
            <translation>Última comprobación {}: {}</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="4" />
            <source>the row does not fit the file's columns</source>
            <translation>la fila no se ajusta a las columnas del archivo</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="5" />
            <source>a reversal (count -1) with no earlier record of the same ID and category</source>
            <translation>una anulación (conteo -1) sin un registro anterior con el mismo ID y categoría</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="6" />
            <source>no date or time given</source>
            <translation>no se indica fecha ni hora</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="7" />
            <source>the date or time cannot be read</source>
            <translation>no se puede leer la fecha o la hora</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="8" />
            <source>the count is not a positive or negative whole number</source>
            <translation>el conteo no es un número entero positivo o negativo</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="9" />
            <source>no coordinates</source>
            <translation>sin coordenadas</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="10" />
            <source>coordinates are 0 (not geocoded)</source>
            <translation>las coordenadas son 0 (sin geocodificar)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="11" />
            <source>coordinates are not numbers, out of range, or cannot be reprojected</source>
            <translation>las coordenadas no son números, están fuera de rango o no pueden reproyectarse</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="12" />
            <source>the category is not in the category mapping table</source>
            <translation>la categoría no está en la tabla de asignación de categorías</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="13" />
            <source>the category mapping table maps this category to nothing (excluded)</source>
            <translation>la tabla de asignación de categorías no asigna esta categoría a nada (excluida)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="14" />
            <source>the point lies outside the jurisdiction boundary</source>
            <translation>el punto está fuera del límite de la jurisdicción</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="15" />
            <source>the incident happened outside the requested period</source>
            <translation>el incidente ocurrió fuera del periodo solicitado</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="17" />
            <source>stable BeatCast id (hash of the primary record's system, ID, category and time)</source>
            <translation>id estable de BeatCast (hash del sistema, ID, categoría y hora del registro principal)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="18" />
            <source>standard category (after the category map; the raw value when none is given)</source>
            <translation>categoría estándar (tras la tabla de categorías; el valor original cuando no se indica ninguna)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="19" />
            <source>category or offence code as exported by the primary source</source>
            <translation>categoría o código de delito tal como lo exporta la fuente principal</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="20" />
            <source>offence description of the primary source</source>
            <translation>descripción del delito según la fuente principal</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="21" />
            <source>occurrence time, UTC: the start of the window it may have happened in</source>
            <translation>hora de ocurrencia, UTC: el inicio de la ventana en la que pudo haber ocurrido</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="22" />
            <source>start of the occurrence window, local wall time (YYYY-MM-DDTHH:MM:SS)</source>
            <translation>inicio de la ventana de ocurrencia, hora local (YYYY-MM-DDTHH:MM:SS)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="23" />
            <source>end (exclusive) of the possible occurrence window, UTC</source>
            <translation>fin (exclusivo) de la ventana de ocurrencia posible, UTC</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="24" />
            <source>second, minute, hour, day or month: how precisely the time is known</source>
            <translation>segundo, minuto, hora, día o mes: con qué precisión se conoce la hora</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="25" />
            <source>IANA time zone the local times were read in</source>
            <translation>zona horaria IANA en la que se leyeron las horas locales</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="26" />
            <source>district as exported (not a spatial join)</source>
            <translation>distrito tal como se exportó (no una unión espacial)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="27" />
            <source>reported (call or report), discovered (officer-initiated) or empty when unknown</source>
            <translation>denunciado (llamada o denuncia), descubierto (iniciado por agentes) o vacío si se desconoce</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="28" />
            <source>source of the primary record</source>
            <translation>fuente del registro principal</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="29" />
            <source>ID of the primary record in its source</source>
            <translation>ID del registro principal en su fuente</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="30" />
            <source>every merged record as source#row:id, ';'-separated, primary first</source>
            <translation>cada registro fusionado como source#row:id, separados por ';', el principal primero</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="31" />
            <source>how many source records this incident merges</source>
            <translation>cuántos registros de origen fusiona este incidente</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="32" />
            <source>id_conflict when records share an ID but disagree in time or place</source>
            <translation>id_conflict cuando los registros comparten un ID pero difieren en hora o lugar</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="33" />
            <source>x in the output CRS</source>
            <translation>x en el SRC de salida</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="34" />
            <source>y in the output CRS</source>
            <translation>y en el SRC de salida</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="36" />
            <source>id of the grid cell (shape letter, size, global column and row)</source>
            <translation>id de la celda de la cuadrícula (letra de forma, tamaño, columna y fila globales)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="37" />
            <source>metres from the cell's clipped centroid to the nearest &lt;layer&gt; point, inside the boundary or not (inf when the layer has no points)</source>
            <translation>metros desde el centroide recortado de la celda hasta el punto de &lt;layer&gt; más cercano, dentro del límite o no (inf cuando la capa no tiene puntos)</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="38" />
            <source>number of &lt;layer&gt; points within &lt;r&gt; metres (distance &lt;= r) of the cell's clipped centroid, inside the boundary or not</source>
            <translation>número de puntos de &lt;layer&gt; a menos de &lt;r&gt; metros (distancia &lt;= r) del centroide recortado de la celda, dentro del límite o no</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="39" />
            <source>number of &lt;layer&gt; points inside the clipped cell</source>
            <translation>número de puntos de &lt;layer&gt; dentro de la celda recortada</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="40" />
            <source>metres of &lt;layer&gt; lines inside the clipped cell</source>
            <translation>metros de líneas de &lt;layer&gt; dentro de la celda recortada</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="41" />
            <source>metres of &lt;layer&gt; lines of class &lt;class&gt; (e.g. road_class) in the clipped cell</source>
            <translation>metros de líneas de &lt;layer&gt; de la clase &lt;class&gt; (p. ej. road_class) en la celda recortada</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="42" />
            <source>statistic &lt;stat&gt; (mean, min, max, sum, std: population standard deviation, count) of the &lt;raster&gt; pixels whose centre is inside the clipped cell, nodata and NaN ignored; NaN (count 0) when the cell holds no valid pixel centre</source>
            <translation>estadístico &lt;stat&gt; (mean, min, max, sum, std: desviación estándar poblacional, count) de los píxeles de &lt;raster&gt; cuyo centro está dentro de la celda recortada, ignorando nodata y NaN; NaN (count 0) cuando la celda no contiene ningún centro de píxel válido</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="43" />
            <source>area-weighted &lt;attribute&gt; of the &lt;layer&gt; polygons. Extensive (counts such as population): sum over polygons of value * area(cell ∩ polygon) / area(polygon), so the cells add up to the polygons' totals inside the boundary. Intensive (rates, shares): mean of the values weighted by area(cell ∩ polygon), NaN where no polygon with a value covers the cell</source>
            <translation>&lt;attribute&gt; de los polígonos de &lt;layer&gt; ponderado por área. Extensivos (conteos como la población): suma sobre los polígonos de valor * area(celda ∩ polígono) / area(polígono), de modo que las celdas suman los totales de los polígonos dentro del límite. Intensivos (tasas, proporciones): media de los valores ponderada por area(celda ∩ polígono), NaN donde ningún polígono con valor cubre la celda</translation>
        </message>
        <message>
            <location filename="runtime_strings.py" line="44" />
            <source>area of the clipped cell covered by the &lt;layer&gt; polygons / area of the clipped cell (0 to 1; more where polygons overlap)</source>
            <translation>área de la celda recortada cubierta por los polígonos de &lt;layer&gt; / área de la celda recortada (0 a 1; más donde los polígonos se solapan)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="25" />
            <source>contiguity (queen)</source>
            <translation>contigüidad (reina)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="26" />
            <source>contiguity (rook)</source>
            <translation>contigüidad (torre)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="27" />
            <source>fixed distance</source>
            <translation>distancia fija</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="28" />
            <source>k nearest neighbours</source>
            <translation>k vecinos más cercanos</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.py" line="23" />
            <source>Next shift</source>
            <translation>Siguiente turno</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="138" />
            <source>Not watching</source>
            <translation>Sin vigilancia</translation>
        </message>
        <message>
            <location filename="../processing_provider/provider.py" line="77" />
            <source>{} is not installed: {}</source>
            <translation>{} no está instalado: {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="188" />
            <source>+{} more</source>
            <translation>+{} más</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="315" />
            <source>APPROVED by {}</source>
            <translation>APROBADO por {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="315" />
            <source>{} UTC · decision {}
Rationale: {}</source>
            <translation>{} UTC · decisión {}
Justificación: {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="322" />
            <source>No approval is recorded for this plan: not for roll call.</source>
            <translation>No hay aprobación registrada para este plan: no apto para el pase de lista.</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="324" />
            <source>approved, but the plan changed since</source>
            <translation>aprobado, pero el plan cambió después</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="325" />
            <source>Latest decision: {} ({}, {} UTC).</source>
            <translation>Última decisión: {} ({}, {} UTC).</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="343" />
            <source>forecast {} → {}</source>
            <translation>pronóstico {} → {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="352" />
            <source>Shift {}, {} min</source>
            <translation>Turno {}, {} min</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="386" />
            <source>Forecast: expected incidents per cell</source>
            <translation>Pronóstico: incidentes esperados por celda</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="392" />
            <source>Patrol zones (rank)</source>
            <translation>Zonas de patrullaje (rango)</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="392" />
            <source>Patrol routes (unit)</source>
            <translation>Rutas de patrullaje (unidad)</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="433" />
            <source>City overview</source>
            <translation>Vista general de la ciudad</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="441" />
            <source>District {}</source>
            <translation>Distrito {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="443" />
            <source>Roll-call map pack</source>
            <translation>Paquete de mapas para el pase de lista</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="474" />
            <source>Plan run {} · page {} of {}</source>
            <translation>Ejecución del plan {} · página {} de {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="504" />
            <source>Units and visit order (zone ranks)</source>
            <translation>Unidades y orden de visita (rangos de zona)</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="512" />
            <source>Unit</source>
            <translation>Unidad</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="506" />
            <source>Station</source>
            <translation>Estación</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="506" />
            <source>Zones in visit order</source>
            <translation>Zonas en orden de visita</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="506" />
            <source>Back</source>
            <translation>Regreso</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="511" />
            <source>Visit order in this district</source>
            <translation>Orden de visita en este distrito</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="512" />
            <source>Stop</source>
            <translation>Parada</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="512" />
            <source>Zone</source>
            <translation>Zona</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="512" />
            <source>Arrive</source>
            <translation>Llegada</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="512" />
            <source>Depart</source>
            <translation>Salida</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="523" />
            <source>Top patrol zones</source>
            <translation>Zonas de patrullaje principales</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="523" />
            <source>Patrol zones in this district</source>
            <translation>Zonas de patrullaje en este distrito</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="525" />
            <source>Rank</source>
            <translation>Rango</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="525" />
            <source>District</source>
            <translation>Distrito</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="525" />
            <source>Expected</source>
            <translation>Esperados</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="525" />
            <source>Visits</source>
            <translation>Visitas</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="525" />
            <source>Dwell (min)</source>
            <translation>Permanencia (min)</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="220" />
            <source>{}; {} cells alert, max severity {}</source>
            <translation>{}; {} celdas en alerta, severidad máxima {}</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="242" />
            <source>{} cells alert, max severity {}</source>
            <translation>{} celdas en alerta, severidad máxima {}</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="268" />
            <source>Watching every {} min. {}</source>
            <translation>Vigilando cada {} min. {}</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="71" />
            <source>approved</source>
            <translation>aprobado</translation>
        </message>
        <message>
            <location filename="../ui/map_pack.py" line="71" />
            <source>rejected</source>
            <translation>rechazado</translation>
        </message>
        <message>
            <location filename="../processing_provider/monitor_drift.py" line="422" />
            <source>CUSUM h: calibrated by simulation and on the {} windows before the recent one</source>
            <translation>h del CUSUM: calibrado por simulación y en las {} ventanas anteriores a la reciente</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="55" />
            <source>GRID: {} was not made by Build grid (no BeatCast grid description found)</source>
            <translation>GRID: {} no se creó con Construir cuadrícula (no se encontró ninguna descripción de cuadrícula de BeatCast)</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="62" />
            <source>GRID: the cells of {} were reordered or edited; build the grid again</source>
            <translation>GRID: las celdas de {} se reordenaron o editaron; vuelva a construir la cuadrícula</translation>
        </message>
        <message>
            <location filename="../processing_provider/aggregate_incidents.py" line="208" />
            <source>no incident of {} falls in a cell of {}: do they cover the same area?</source>
            <translation>ningún incidente de {} cae en una celda de {}: ¿cubren la misma zona?</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="51" />
            <source>Exposure ratio (share of exposure / share of population)</source>
            <translation>Razón de exposición (proporción de la exposición / proporción de la población)</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="59" />
            <source>Flags</source>
            <translation>Señales</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="59" />
            <source>Groups</source>
            <translation>Grupos</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="59" />
            <source>Areas</source>
            <translation>Áreas</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="59" />
            <source>none</source>
            <translation>ninguna</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="68" />
            <source>&lt;p&gt;Worst exposure ratio {:.3f}; disparate impact {:.3f}; Gini of exposure per capita {:.3f}.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Peor razón de exposición {:.3f}; impacto dispar {:.3f}; Gini de la exposición per cápita {:.3f}.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="78" />
            <source>Proxy check of the model features</source>
            <translation>Verificación de variables sustitutas en las variables del modelo</translation>
        </message>
        <message>
            <location filename="../processing_provider/bias_audit.py" line="80" />
            <source>&lt;p&gt;&lt;i&gt;Exposure is attributed to residents in proportion to where they live; it measures where attention goes, not any individual's treatment.&lt;/i&gt;&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;i&gt;La exposición se atribuye a los residentes en proporción a dónde viven; mide a dónde se dirige la atención, no el trato que recibe ninguna persona en particular.&lt;/i&gt;&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../processing_provider/cell_covariates.py" line="85" />
            <source>{}: the raster cannot be read or reprojected</source>
            <translation>{}: el ráster no se puede leer ni reproyectar</translation>
        </message>
        <message>
            <location filename="../processing_provider/charts.py" line="35" />
            <source>Area flagged (%)</source>
            <translation>Área señalada (%)</translation>
        </message>
        <message>
            <location filename="../processing_provider/charts.py" line="36" />
            <source>Mean PAI (hit rate / area share)</source>
            <translation>PAI medio (tasa de aciertos / proporción del área)</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="54" />
            <source>area {}, {}</source>
            <translation>área {}, {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="59" />
            <source>Day</source>
            <translation>Día</translation>
        </message>
        <message>
            <location filename="../processing_provider/feedback_simulation.py" line="60" />
            <source>Share of patrols so far (dotted: share of true crime)</source>
            <translation>Proporción de patrullas hasta la fecha (punteado: proporción del delito real)</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="30" />
            <source>Cold spot, 99 % confidence</source>
            <translation>Punto frío, 99 % de confianza</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="31" />
            <source>Cold spot, 95 % confidence</source>
            <translation>Punto frío, 95 % de confianza</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="32" />
            <source>Cold spot, 90 % confidence</source>
            <translation>Punto frío, 90 % de confianza</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="33" />
            <source>Not significant</source>
            <translation>No significativo</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="34" />
            <source>Hot spot, 90 % confidence</source>
            <translation>Punto caliente, 90 % de confianza</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="35" />
            <source>Hot spot, 95 % confidence</source>
            <translation>Punto caliente, 95 % de confianza</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_gistar.py" line="36" />
            <source>Hot spot, 99 % confidence</source>
            <translation>Punto caliente, 99 % de confianza</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="108" />
            <source>fixed distance {:g} m</source>
            <translation>distancia fija de {:g} m</translation>
        </message>
        <message>
            <location filename="../processing_provider/hotspot_inputs.py" line="110" />
            <source>{} nearest neighbours</source>
            <translation>{} vecinos más cercanos</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="58" />
            <source>{}: file not found</source>
            <translation>{}: no se encontró el archivo</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="67" />
            <source>{}: the zip holds no shapefile, GeoPackage or GeoJSON</source>
            <translation>{}: el zip no contiene ningún shapefile, GeoPackage ni GeoJSON</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="104" />
            <source>{}: cannot be opened as a vector layer</source>
            <translation>{}: no se puede abrir como capa vectorial</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="116" />
            <source>{}: {}/{} features read</source>
            <translation>{}: {}/{} entidades leídas</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="129" />
            <source>{}: the layer has no features</source>
            <translation>{}: la capa no tiene entidades</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="169" />
            <source>BOUNDARY: the boundary layer has no polygon</source>
            <translation>BOUNDARY: la capa de límite no tiene ningún polígono</translation>
        </message>
        <message>
            <location filename="../processing_provider/layers.py" line="285" />
            <source>{}: no field occurred_utc: use the incidents layer made by Import incidents</source>
            <translation>{}: no hay campo occurred_utc: use la capa de incidentes creada por Importar incidentes</translation>
        </message>
        <message>
            <location filename="../processing_provider/rasters.py" line="20" />
            <source>raster outputs are GeoTIFF files (.tif): {}</source>
            <translation>las salidas ráster son archivos GeoTIFF (.tif): {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/rasters.py" line="27" />
            <source>cannot create the raster {}</source>
            <translation>no se puede crear el ráster {}</translation>
        </message>
        <message>
            <location filename="../processing_provider/styling.py" line="34" />
            <source>style {}: {}</source>
            <translation>estilo {}: {}</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="96" />
            <source>Choose the folder or the table to watch</source>
            <translation>Elija la carpeta o la tabla que vigilar</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="193" />
            <source>{}, no incidents added; not re-scored</source>
            <translation>{}, ningún incidente añadido; no se volvió a evaluar</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="207" />
            <source>{}, {} incidents added</source>
            <translation>{}, {} incidentes añadidos</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="231" />
            <source>table read</source>
            <translation>tabla leída</translation>
        </message>
        <message>
            <location filename="../ui/watch.py" line="231" />
            <source>{} new file(s)</source>
            <translation>{} archivo(s) nuevo(s)</translation>
        </message>
    </context>
    <context>
        <name>ExportPanel</name>
        <message>
            <location filename="../ui/export.ui" line="9" />
            <source>Approved plan</source>
            <translation>Plan aprobado</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="15" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="26" />
            <source>Plan run</source>
            <translation>Ejecución del plan</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="37" />
            <source>Decision</source>
            <translation>Decisión</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="57" />
            <source>Pages</source>
            <translation>Páginas</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="63" />
            <source>Districts</source>
            <translation>Distritos</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="74" />
            <source>District name field</source>
            <translation>Campo de nombre del distrito</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="85" />
            <source>Paper (landscape)</source>
            <translation>Papel (horizontal)</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="96" />
            <source>Shift label</source>
            <translation>Etiqueta del turno</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="103" />
            <source>empty: from the plan</source>
            <translation>vacío: la del plan</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="113" />
            <source>Output</source>
            <translation>Salida</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="119" />
            <source>Folder</source>
            <translation>Carpeta</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="130" />
            <source>PDF name</source>
            <translation>Nombre del PDF</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="137" />
            <source>roll_call.pdf</source>
            <translation>roll_call.pdf</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="144" />
            <source>Export as draft (every page marked DRAFT – NOT APPROVED)</source>
            <translation>Exportar como borrador (cada página marcada BORRADOR – NO APROBADO)</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="151" />
            <source>Also one PNG per page</source>
            <translation>También un PNG por página</translation>
        </message>
        <message>
            <location filename="../ui/export.ui" line="163" />
            <source>Export map pack</source>
            <translation>Exportar paquete de mapas</translation>
        </message>
    </context>
    <context>
        <name>ModelRunsPanel</name>
        <message>
            <location filename="../ui/model_runs.ui" line="38" />
            <source>Data</source>
            <translation>Datos</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="44" />
            <source>Incidents</source>
            <translation>Incidentes</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="55" />
            <source>Grid (from Build grid)</source>
            <translation>Cuadrícula (de Construir cuadrícula)</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="66" />
            <source>Category</source>
            <translation>Categoría</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="80" />
            <source>Forecast</source>
            <translation>Pronóstico</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="86" />
            <source>Model</source>
            <translation>Modelo</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="97" />
            <source>Horizon</source>
            <translation>Horizonte</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="108" />
            <source>Shift starts (local)</source>
            <translation>Inicios de turno (locales)</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="115" />
            <source>07:00,15:00,23:00</source>
            <translation>07:00,15:00,23:00</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="122" />
            <source>Hotspot area (%)</source>
            <translation>Área de puntos calientes (%)</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="145" />
            <source>Patrol plan</source>
            <translation>Plan de patrullaje</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="157" />
            <source>Stations</source>
            <translation>Estaciones</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="168" />
            <source>Units</source>
            <translation>Unidades</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="188" />
            <source>Shift start (HH:MM)</source>
            <translation>Inicio del turno (HH:MM)</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="195" />
            <source>22:00</source>
            <translation>22:00</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="202" />
            <source>Shift minutes</source>
            <translation>Minutos del turno</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="225" />
            <source>Output</source>
            <translation>Salida</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="231" />
            <source>Folder</source>
            <translation>Carpeta</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="242" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="249" />
            <source>beatcast_runs.gpkg</source>
            <translation>beatcast_runs.gpkg</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="278" />
            <source>Run</source>
            <translation>Ejecutar</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="285" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="311" />
            <source>Runs in the output GeoPackage</source>
            <translation>Ejecuciones en el GeoPackage de salida</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="335" />
            <source>Refresh</source>
            <translation>Actualizar</translation>
        </message>
        <message>
            <location filename="../ui/model_runs.ui" line="355" />
            <source>Open run's layers</source>
            <translation>Abrir las capas de la ejecución</translation>
        </message>
    </context>
    <context>
        <name>ReviewPanel</name>
        <message>
            <location filename="../ui/review.ui" line="9" />
            <source>Patrol plan</source>
            <translation>Plan de patrullaje</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="15" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="26" />
            <source>Plan run</source>
            <translation>Ejecución del plan</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="47" />
            <source>Decision (appended to the run log; never edited)</source>
            <translation>Decisión (se añade al registro de ejecuciones; nunca se edita)</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="53" />
            <source>Your name</source>
            <translation>Su nombre</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="60" />
            <source>Who decides</source>
            <translation>Quién decide</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="67" />
            <source>Rationale</source>
            <translation>Justificación</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="74" />
            <source>Why the plan is approved or rejected</source>
            <translation>Por qué se aprueba o rechaza el plan</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="93" />
            <source>Approve</source>
            <translation>Aprobar</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="103" />
            <source>Reject</source>
            <translation>Rechazar</translation>
        </message>
        <message>
            <location filename="../ui/review.ui" line="118" />
            <source>Decision history</source>
            <translation>Historial de decisiones</translation>
        </message>
    </context>
    <context>
        <name>WatchPanel</name>
        <message>
            <location filename="../ui/watch.ui" line="9" />
            <source>Store and forecast</source>
            <translation>Almacén y pronóstico</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="15" />
            <source>Incident store (GeoPackage)</source>
            <translation>Almacén de incidentes (GeoPackage)</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="26" />
            <source>Folder to watch</source>
            <translation>Carpeta a vigilar</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="37" />
            <source>Cube name</source>
            <translation>Nombre del cubo</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="44" />
            <source>daily</source>
            <translation>daily</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="51" />
            <source>Grid</source>
            <translation>Cuadrícula</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="62" />
            <source>Forecast cells</source>
            <translation>Celdas de pronóstico</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="90" />
            <source>Polling</source>
            <translation>Sondeo</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="96" />
            <source>Check every (minutes)</source>
            <translation>Comprobar cada (minutos)</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="116" />
            <source>Alert GeoPackages folder</source>
            <translation>Carpeta de los GeoPackages de alertas</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="132" />
            <source>Start</source>
            <translation>Iniciar</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="139" />
            <source>Stop</source>
            <translation>Parada</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="149" />
            <source>Check now</source>
            <translation>Comprobar ahora</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="158" />
            <source>Not watching</source>
            <translation>Sin vigilancia</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="73" />
            <source>Or a table to watch</source>
            <translation>O una tabla que vigilar</translation>
        </message>
        <message>
            <location filename="../ui/watch.ui" line="80" />
            <source>A layer new incidents are added to (GeoPackage or PostGIS table): read at each check; incidents already in the store are recognised and not added again</source>
            <translation>Una capa a la que se añaden incidentes nuevos (tabla GeoPackage o PostGIS): se lee en cada comprobación; los incidentes que ya están en el almacén se reconocen y no se añaden de nuevo</translation>
        </message>
    </context>
</TS>
